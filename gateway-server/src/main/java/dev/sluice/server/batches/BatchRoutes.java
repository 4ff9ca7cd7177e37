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
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The OpenAI Batch API: {@code POST /v1/batches}, {@code GET /v1/batches/{id}}, {@code GET /v1/batches},
 * {@code POST /v1/batches/{id}/cancel}. The gateway runs the batches itself, for any provider.
 */
// Route parameters the path pattern guarantees, and absent options the services take as null: declared once the
// services\' public methods say which parameters may be absent (issue 17 follow-up).
@SuppressWarnings("NullAway")
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
                batches.get(params.get("id"), CallerHeaders.from(request.requestHeaders()))
                        .switchIfEmpty(Mono.error(() -> notFound(params.get("id"))))
                        .flatMap(batch -> send(response, batch)));
        routes.add(HttpMethod.POST, "/v1/batches/{id}/cancel", (request, response, params) ->
                batches.cancel(params.get("id"), CallerHeaders.from(request.requestHeaders()))
                        .switchIfEmpty(Mono.error(() -> notFound(params.get("id"))))
                        .flatMap(batch -> send(response, batch)));
    }

    private Mono<Void> create(HttpServerRequest request, HttpServerResponse response) {
        return bodies.read(request).flatMap(this::batchRequest)
                .flatMap(body -> batches.create(CallerHeaders.from(request.requestHeaders()), body))
                .flatMap(batch -> send(response, batch));
    }

    private Mono<Void> list(HttpServerRequest request, HttpServerResponse response) {
        Map<String, List<String>> query = new QueryStringDecoder(request.uri()).parameters();
        String after = query.containsKey("after") ? query.get("after").getFirst() : null;
        int limit;
        try {
            limit = query.containsKey("limit") ? Integer.parseInt(query.get("limit").getFirst()) : 20;
        } catch (NumberFormatException e) {
            return Mono.error(new InvalidRequestException("limit: " + query.get("limit").getFirst() + " (expected: 1 to 100)", "limit"));
        }
        return batches.list(CallerHeaders.from(request.requestHeaders()), after, limit)
                .flatMap(page -> Json.ok(response, Json.bytes(json, listObject(page))));
    }

    /** The batch the body asks for, or a 400 naming the first thing wrong with it. */
    private Mono<BatchRequest> batchRequest(byte[] bytes) {
        JsonNode body;
        try {
            body = json.readTree(bytes);
        } catch (IOException e) {
            return Mono.error(new InvalidRequestException("Request body is not valid JSON.", null));
        }
        if (body == null || !body.isObject()) {
            return Mono.error(new InvalidRequestException("Request body must be a JSON object.", null));
        }
        Optional<InvalidRequestException> problem = textProblem(body, "input_file_id")
                .or(() -> textProblem(body, "endpoint"))
                .or(() -> textProblem(body, "completion_window"))
                .or(() -> metadataProblem(body.get("metadata")))
                .or(() -> outputExpiresAfterProblem(body.get("output_expires_after")));
        if (problem.isPresent()) {
            return Mono.error(problem.get());
        }
        return Mono.just(new BatchRequest(body.get("input_file_id").asText(), body.get("endpoint").asText(),
                body.get("completion_window").asText(), metadata(body.get("metadata")),
                outputExpiresAfter(body.get("output_expires_after"))));
    }

    /** What is wrong with a required text field, if anything. */
    private static Optional<InvalidRequestException> textProblem(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.of(new InvalidRequestException("Missing required parameter: '" + field + "'.", field));
        }
        if (!value.isTextual()) {
            return Optional.of(new InvalidRequestException("'" + field + "' must be a string.", field));
        }
        if (value.asText().chars().anyMatch(Character::isISOControl)) {
            // These are looked up in the store, and PostgreSQL refuses text with a NUL in it.
            return Optional.of(new InvalidRequestException("'" + field + "' holds a control character.", field));
        }
        return Optional.empty();
    }

    /** What is wrong with {@code metadata}, if anything: it is absent, or an object of strings. */
    private static Optional<InvalidRequestException> metadataProblem(JsonNode metadata) {
        if (metadata == null || metadata.isNull()) {
            return Optional.empty();
        }
        if (!metadata.isObject()) {
            return Optional.of(new InvalidRequestException("'metadata' must be an object of strings.", "metadata"));
        }
        return metadata.properties().stream()
                .filter(entry -> !entry.getValue().isTextual())
                .findFirst()
                .map(entry -> new InvalidRequestException("metadata." + entry.getKey() + " must be a string.", "metadata"));
    }

    /** The metadata of a body whose {@link #metadataProblem} is empty. */
    private static Map<String, String> metadata(JsonNode metadata) {
        Map<String, String> values = new LinkedHashMap<>();
        if (metadata != null && !metadata.isNull()) {
            metadata.properties().forEach(entry -> values.put(entry.getKey(), entry.getValue().asText()));
        }
        return values;
    }

    /** What is wrong with {@code output_expires_after}, if anything: it is absent, or {@code created_at} plus seconds. */
    private static Optional<InvalidRequestException> outputExpiresAfterProblem(JsonNode value) {
        if (value == null || value.isNull()
                || value.isObject() && "created_at".equals(value.path("anchor").asText()) && value.path("seconds").canConvertToLong()) {
            return Optional.empty();
        }
        return Optional.of(new InvalidRequestException("output_expires_after must be {\"anchor\":\"created_at\",\"seconds\":N}.",
                "output_expires_after"));
    }

    /** The window of a body whose {@link #outputExpiresAfterProblem} is empty; {@code null} when it sets none. */
    private static Duration outputExpiresAfter(JsonNode value) {
        return value == null || value.isNull() ? null : Duration.ofSeconds(value.path("seconds").asLong());
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
