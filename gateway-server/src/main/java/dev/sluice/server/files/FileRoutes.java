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
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The OpenAI Files API: {@code POST /v1/files} (multipart, streamed to the store), {@code GET /v1/files},
 * {@code GET /v1/files/{id}}, {@code GET /v1/files/{id}/content} (streamed back), {@code DELETE /v1/files/{id}}.
 * A file belongs to the virtual key that uploaded it.
 */
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
        routes.add(HttpMethod.GET, "/v1/files/{id}", (request, response, params) -> find(request, pathId(params))
                .flatMap(file -> Json.ok(response, Json.bytes(json, fileObject(file)))));
        routes.add(HttpMethod.GET, "/v1/files/{id}/content", (request, response, params) -> find(request, pathId(params))
                .flatMap(file -> content(response, file)));
        routes.add(HttpMethod.DELETE, "/v1/files/{id}", (request, response, params) ->
                files.delete(pathId(params), CallerHeaders.from(request.requestHeaders()))
                        .switchIfEmpty(Mono.error(() -> notFound(pathId(params))))
                        .flatMap(file -> Json.ok(response, Json.bytes(json, json.createObjectNode()
                                .put("id", file.id()).put("object", "file").put("deleted", true)))));
    }

    /** The {@code {id}} of the path: there whenever one of these routes matched. */
    private static String pathId(Map<String, String> params) {
        return Objects.requireNonNull(params.get("id"), "id");
    }

    // FileService takes null for an unnamed upload and for the purpose's default expiry until its rework declares it.
    @SuppressWarnings("NullAway")
    private Mono<Void> upload(HttpServerRequest request, HttpServerResponse response) {
        // The caller is refused, and the upload's memory held, before a byte of the body is read.
        Mono<MultipartForm> read = inflight.closingOnFailure(callers.check(request.requestHeaders())
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
            Duration expiresAfter;
            try {
                expiresAfter = expiresAfter(form.fields());
            } catch (InvalidRequestException e) {
                form.discard();
                return Mono.error(e);
            }
            return files.upload(CallerHeaders.from(request.requestHeaders()), form.filename(), purpose, expiresAfter, form.content())
                    .doFinally(signal -> form.discard())
                    .flatMap(file -> Json.ok(response, Json.bytes(json, fileObject(file))));
        });
    }

    // FileService takes null for "any purpose" and "from the start" until its rework declares it.
    @SuppressWarnings("NullAway")
    private Mono<Void> list(HttpServerRequest request, HttpServerResponse response) {
        Map<String, List<String>> query = new QueryStringDecoder(request.uri()).parameters();
        int limit = intParameter(query, "limit", 20);
        String order = parameter(query, "order", "desc");
        if (!order.equals("asc") && !order.equals("desc")) {
            return Mono.error(new InvalidRequestException("order: " + order + " (expected: asc or desc)", "order"));
        }
        return files.list(CallerHeaders.from(request.requestHeaders()), parameter(query, "purpose").orElse(null), limit,
                        parameter(query, "after").orElse(null), order.equals("asc"))
                .flatMap(page -> Json.ok(response, Json.bytes(json, listObject(page))));
    }

    private Mono<StoredFile> find(HttpServerRequest request, String id) {
        return files.get(id, CallerHeaders.from(request.requestHeaders())).switchIfEmpty(Mono.error(() -> notFound(id)));
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

    /** {@code expires_after[anchor]=created_at} and {@code expires_after[seconds]=N}, or {@code null}. */
    private static @Nullable Duration expiresAfter(Map<String, String> fields) {
        String anchor = fields.get("expires_after[anchor]");
        String seconds = fields.get("expires_after[seconds]");
        if (anchor == null && seconds == null) {
            return null;
        }
        if (!"created_at".equals(anchor)) {
            throw new InvalidRequestException("expires_after[anchor]: " + anchor + " (expected: created_at)", "expires_after");
        }
        try {
            return Duration.ofSeconds(Long.parseLong(String.valueOf(seconds).strip()));
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("expires_after[seconds]: " + seconds + " (expected: a whole number of seconds)", "expires_after");
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

    /** The query parameter's first value; empty when it is missing or blank. */
    static Optional<String> parameter(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() || values.getFirst().isBlank() ? Optional.empty() : Optional.of(values.getFirst());
    }

    static String parameter(Map<String, List<String>> query, String name, String fallback) {
        return parameter(query, name).orElse(fallback);
    }

    static int intParameter(Map<String, List<String>> query, String name, int fallback) {
        Optional<String> present = parameter(query, name);
        if (present.isEmpty()) {
            return fallback;
        }
        String value = present.get();
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
