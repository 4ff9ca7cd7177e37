package dev.sluice.server.files;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.error.GatewayException;
import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.files.FilePage;
import dev.sluice.core.files.FileService;
import dev.sluice.core.files.StoredFile;
import dev.sluice.server.http.CallerCheck;
import dev.sluice.server.http.CallerHeaders;
import dev.sluice.server.http.ClientPaced;
import dev.sluice.server.http.HttpRoutes;
import dev.sluice.server.http.InflightBodies;
import dev.sluice.server.http.Json;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The OpenAI Files API: {@code POST /v1/files} (multipart, streamed to the store), {@code GET /v1/files},
 * {@code GET /v1/files/{id}}, {@code GET /v1/files/{id}/content} (streamed back), {@code DELETE /v1/files/{id}}.
 * A file belongs to the virtual key that uploaded it.
 */
// Route parameters the path pattern guarantees, and absent options the services take as null: declared once the
// services\' public methods say which parameters may be absent (issue 17 follow-up).
@SuppressWarnings("NullAway")
public final class FileRoutes {

    private final FileService files;
    private final ObjectMapper json;
    private final CallerCheck callers;
    private final InflightBodies inflight;
    private final Duration uploadTimeout;
    private final Scheduler timer;

    /**
     * @param callers       refuses an upload's caller before its body is read
     * @param inflight      where an upload holds the memory it may use while it is read and stored
     * @param uploadTimeout how long an upload's body may take to arrive whole (408 after)
     * @param timer         where the upload timeout is kept
     */
    public FileRoutes(FileService files, ObjectMapper json, CallerCheck callers, InflightBodies inflight, Duration uploadTimeout,
                      Scheduler timer) {
        this.files = files;
        this.json = json;
        this.callers = callers;
        this.inflight = inflight;
        this.uploadTimeout = uploadTimeout;
        this.timer = timer;
    }

    public void register(HttpRoutes routes) {
        routes.upload("/v1/files", (request, response, params) -> upload(request, response));
        routes.add(HttpMethod.GET, "/v1/files", (request, response, params) -> list(request, response));
        routes.add(HttpMethod.GET, "/v1/files/{id}", (request, response, params) -> find(request, params.get("id"))
                .flatMap(file -> Json.ok(response, Json.bytes(json, fileObject(file)))));
        routes.add(HttpMethod.GET, "/v1/files/{id}/content", (request, response, params) -> find(request, params.get("id"))
                .flatMap(file -> content(response, file)));
        routes.add(HttpMethod.DELETE, "/v1/files/{id}", (request, response, params) ->
                callers.check(request).then(files.delete(params.get("id"), CallerHeaders.from(request.requestHeaders())))
                        .switchIfEmpty(Mono.error(() -> notFound(params.get("id"))))
                        .flatMap(file -> Json.ok(response, Json.bytes(json, json.createObjectNode()
                                .put("id", file.id()).put("object", "file").put("deleted", true)))));
    }

    private Mono<Void> upload(HttpServerRequest request, HttpServerResponse response) {
        // The caller is refused, and the upload's memory held, before a byte of the body is read.
        Mono<MultipartForm> read = inflight.closingOnFailure(callers.check(request)
                .then(inflight.reserve(MultipartForm.MEMORY_PER_UPLOAD))
                .then(MultipartForm.read(request, files.maxBytes()).timeout(uploadTimeout, Mono.error(() -> timedOut(uploadTimeout)), timer)));
        return read.flatMap(form -> {
            if (form.file() == null) {
                form.discard();
                return Mono.error(new InvalidRequestException("Missing required parameter: 'file'.", "file"));
            }
            String purpose = form.fields().get("purpose");
            if (purpose == null || purpose.isBlank()) {
                form.discard();
                return Mono.error(new InvalidRequestException("Missing required parameter: 'purpose'.", "purpose"));
            }
            return expiresAfter(form.fields())
                    .doOnError(refused -> form.discard())
                    .flatMap(expiresAfter -> files.upload(CallerHeaders.from(request.requestHeaders()), form.filename(), purpose,
                                    expiresAfter.orElse(null), form.content())
                            .doFinally(signal -> form.discard()))
                    .flatMap(file -> Json.ok(response, Json.bytes(json, fileObject(file))));
        });
    }

    private Mono<Void> list(HttpServerRequest request, HttpServerResponse response) {
        Map<String, List<String>> query = new QueryStringDecoder(request.uri()).parameters();
        int limit = intParameter(query, "limit", 20);
        String order = parameter(query, "order", "desc");
        if (!order.equals("asc") && !order.equals("desc")) {
            return Mono.error(new InvalidRequestException("order: " + order + " (expected: asc or desc)", "order"));
        }
        return files.list(CallerHeaders.from(request.requestHeaders()), parameter(query, "purpose", null), limit,
                        parameter(query, "after", null), order.equals("asc"))
                // Listed: the caller's key was usable, and its name is for the access log.
                .flatMap(page -> callers.check(request).thenReturn(page))
                .flatMap(page -> Json.ok(response, Json.bytes(json, listObject(page))));
    }

    private Mono<StoredFile> find(HttpServerRequest request, String id) {
        return callers.check(request).then(files.get(id, CallerHeaders.from(request.requestHeaders()))).switchIfEmpty(Mono.error(() -> notFound(id)));
    }

    private Mono<Void> content(HttpServerResponse response, StoredFile file) {
        String ascii = file.filename().replaceAll("[^\\x20-\\x7e]|\"", "_");
        response
                .header(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream")
                .header(HttpHeaderNames.CONTENT_LENGTH, Long.toString(file.bytes()))
                .header(HttpHeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''"
                        + URLEncoder.encode(file.filename(), StandardCharsets.UTF_8).replace("+", "%20"));
        return ClientPaced.send(response, files.content(file));
    }

    private static GatewayException timedOut(Duration uploadTimeout) {
        return new GatewayException(408, "invalid_request_error", "request_timeout", null,
                "The upload did not arrive within " + uploadTimeout.toSeconds() + " seconds (server.upload_timeout_seconds).");
    }

    /** {@code expires_after[anchor]=created_at} and {@code expires_after[seconds]=N}, empty when neither is given, or a 400. */
    private static Mono<Optional<Duration>> expiresAfter(Map<String, String> fields) {
        String anchor = fields.get("expires_after[anchor]");
        String seconds = fields.get("expires_after[seconds]");
        if (anchor == null && seconds == null) {
            return Mono.just(Optional.empty());
        }
        if (!"created_at".equals(anchor)) {
            return Mono.error(new InvalidRequestException("expires_after[anchor]: " + anchor + " (expected: created_at)", "expires_after"));
        }
        try {
            return Mono.just(Optional.of(Duration.ofSeconds(Long.parseLong(String.valueOf(seconds).strip()))));
        } catch (NumberFormatException e) {
            return Mono.error(new InvalidRequestException("expires_after[seconds]: " + seconds
                    + " (expected: a whole number of seconds)", "expires_after"));
        }
    }

    ObjectNode fileObject(StoredFile file) {
        ObjectNode node = json.createObjectNode()
                .put("id", file.id())
                .put("object", "file")
                .put("bytes", file.bytes())
                .put("created_at", file.createdAt().getEpochSecond())
                .put("filename", file.filename())
                .put("purpose", file.purpose());
        if (file.expiresAt() == null) {
            node.putNull("expires_at");
        } else {
            node.put("expires_at", file.expiresAt().getEpochSecond());
        }
        return node;
    }

    private ObjectNode listObject(FilePage page) {
        ObjectNode list = json.createObjectNode().put("object", "list");
        ArrayNode data = list.putArray("data");
        page.data().forEach(file -> data.add(fileObject(file)));
        list.put("first_id", page.data().isEmpty() ? (String) null : page.data().getFirst().id());
        list.put("last_id", page.data().isEmpty() ? (String) null : page.data().getLast().id());
        list.put("has_more", page.hasMore());
        return list;
    }

    static String parameter(Map<String, List<String>> query, String name, String fallback) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() || values.getFirst().isBlank() ? fallback : values.getFirst();
    }

    static int intParameter(Map<String, List<String>> query, String name, int fallback) {
        String value = parameter(query, name, null);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(name + ": " + value + " (expected: a whole number)", name);
        }
    }

    static GatewayException notFound(String id) {
        return new GatewayException(404, "invalid_request_error", "file_not_found", "id", "No file with id '" + id + "'.");
    }
}
