package dev.sluice.server.batches;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.batches.Batch;
import dev.sluice.core.batches.BatchPage;
import dev.sluice.core.batches.BatchRequest;
import dev.sluice.core.batches.BatchService;
import dev.sluice.core.error.GatewayException;
import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.server.http.BodyReader;
import dev.sluice.server.http.CallerHeaders;
import dev.sluice.server.http.HttpRoutes;
import dev.sluice.server.http.Json;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The OpenAI Batch API: {@code POST /v1/batches}, {@code GET /v1/batches/{id}}, {@code GET /v1/batches},
 * {@code POST /v1/batches/{id}/cancel}. The gateway runs the batches itself, for any provider.
 */
public final class BatchRoutes {

    private final BatchService batches;
    private final BodyReader bodies;
    private final ObjectMapper json;
    private final BatchJson views;

    public BatchRoutes(BatchService batches, BodyReader bodies, ObjectMapper json) {
        this.batches = batches;
        this.bodies = bodies;
        this.json = json;
        this.views = new BatchJson(json);
    }

    public void register(HttpRoutes routes) {
        routes.add(HttpMethod.POST, "/v1/batches", (request, response, params) -> create(request, response));
        routes.add(HttpMethod.GET, "/v1/batches", (request, response, params) -> list(request, response));
        routes.add(HttpMethod.GET, "/v1/batches/{id}", (request, response, params) ->
                batches.get(pathId(params), CallerHeaders.from(request.requestHeaders()))
                        .switchIfEmpty(Mono.error(() -> notFound(pathId(params))))
                        .flatMap(batch -> send(response, batch)));
        routes.add(HttpMethod.POST, "/v1/batches/{id}/cancel", (request, response, params) ->
                batches.cancel(pathId(params), CallerHeaders.from(request.requestHeaders()))
                        .switchIfEmpty(Mono.error(() -> notFound(pathId(params))))
                        .flatMap(batch -> send(response, batch)));
    }

    /** The {@code {id}} of the path: there whenever one of these routes matched. */
    private static String pathId(Map<String, String> params) {
        return Objects.requireNonNull(params.get("id"), "id");
    }

    private Mono<Void> create(HttpServerRequest request, HttpServerResponse response) {
        return bodies.read(request).flatMap(bytes -> batches.create(CallerHeaders.from(request.requestHeaders()), batchRequest(bytes)))
                .flatMap(batch -> send(response, batch));
    }

    private Mono<Void> list(HttpServerRequest request, HttpServerResponse response) {
        Map<String, List<String>> query = new QueryStringDecoder(request.uri()).parameters();
        List<String> afters = query.get("after");
        String after = afters != null ? afters.getFirst() : null;
        List<String> limits = query.get("limit");
        int limit;
        try {
            limit = limits != null ? Integer.parseInt(limits.getFirst()) : 20;
        } catch (NumberFormatException e) {
            return Mono.error(new InvalidRequestException("limit: " + limits.getFirst() + " (expected: 1 to 100)", "limit"));
        }
        return batches.list(CallerHeaders.from(request.requestHeaders()), after, limit)
                .flatMap(page -> Json.ok(response, Json.bytes(json, listObject(page))));
    }

    private BatchRequest batchRequest(byte[] bytes) {
        JsonNode body;
        try {
            body = json.readTree(bytes);
        } catch (IOException e) {
            throw new InvalidRequestException("Request body is not valid JSON.", null);
        }
        if (body == null || !body.isObject()) {
            throw new InvalidRequestException("Request body must be a JSON object.", null);
        }
        return new BatchRequest(text(body, "input_file_id"), text(body, "endpoint"), text(body, "completion_window"),
                metadata(body.get("metadata")), outputExpiresAfter(body.get("output_expires_after")));
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidRequestException("Missing required parameter: '" + field + "'.", field);
        }
        if (!value.isTextual()) {
            throw new InvalidRequestException("'" + field + "' must be a string.", field);
        }
        if (value.asText().chars().anyMatch(Character::isISOControl)) {
            // These are looked up in the store, and PostgreSQL refuses text with a NUL in it.
            throw new InvalidRequestException("'" + field + "' holds a control character.", field);
        }
        return value.asText();
    }

    private static Map<String, String> metadata(JsonNode metadata) {
        Map<String, String> values = new LinkedHashMap<>();
        if (metadata == null || metadata.isNull()) {
            return values;
        }
        if (!metadata.isObject()) {
            throw new InvalidRequestException("'metadata' must be an object of strings.", "metadata");
        }
        metadata.properties().forEach(entry -> {
            if (!entry.getValue().isTextual()) {
                throw new InvalidRequestException("metadata." + entry.getKey() + " must be a string.", "metadata");
            }
            values.put(entry.getKey(), entry.getValue().asText());
        });
        return values;
    }

    private static @Nullable Duration outputExpiresAfter(@Nullable JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject() || !"created_at".equals(value.path("anchor").asText()) || !value.path("seconds").canConvertToLong()) {
            throw new InvalidRequestException("output_expires_after must be {\"anchor\":\"created_at\",\"seconds\":N}.", "output_expires_after");
        }
        return Duration.ofSeconds(value.path("seconds").asLong());
    }

    private ObjectNode listObject(BatchPage page) {
        ObjectNode list = json.createObjectNode().put("object", "list");
        ArrayNode data = list.putArray("data");
        page.data().forEach(batch -> data.add(views.of(batch)));
        list.put("first_id", page.data().isEmpty() ? (String) null : page.data().getFirst().id());
        list.put("last_id", page.data().isEmpty() ? (String) null : page.data().getLast().id());
        list.put("has_more", page.hasMore());
        return list;
    }

    private Mono<Void> send(HttpServerResponse response, Batch batch) {
        return Json.ok(response, Json.bytes(json, views.of(batch)));
    }

    private static GatewayException notFound(String id) {
        return new GatewayException(404, "invalid_request_error", "batch_not_found", "id", "No batch with id '" + id + "'.");
    }
}
