package dev.sluice.server.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.error.GatewayException;
import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.keys.DuplicateKeyException;
import dev.sluice.core.keys.VirtualKeyService;
import dev.sluice.core.keys.VirtualKeySpec;
import dev.sluice.server.http.BodyReader;
import dev.sluice.server.http.Handler;
import dev.sluice.server.http.HttpRoutes;
import dev.sluice.server.http.Json;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The admin API for virtual keys under {@code /api/virtual-keys}, guarded by the admin token. Key values
 * are shown once, when a key is created; everywhere else they are masked.
 */
public final class VirtualKeyRoutes {

    private static final String BASE = "/api/virtual-keys";

    private final VirtualKeyService keys;
    private final byte[] adminToken;
    private final BodyReader bodies;
    private final ObjectMapper json;
    private final VirtualKeyJson views;
    private final Function<Map<String, Object>, VirtualKeySpec> specs;

    /**
     * @param specs reads and validates a key as the configuration file declares one, throwing
     *              {@link IllegalArgumentException} with the field and what was expected
     */
    public VirtualKeyRoutes(VirtualKeyService keys, String adminToken, BodyReader bodies, ObjectMapper json,
                            Function<Map<String, Object>, VirtualKeySpec> specs) {
        this.keys = keys;
        this.adminToken = adminToken.getBytes(StandardCharsets.UTF_8);
        this.bodies = bodies;
        this.json = json;
        this.views = new VirtualKeyJson(json);
        this.specs = specs;
    }

    public void register(HttpRoutes routes) {
        routes.add(HttpMethod.POST, BASE, guarded(this::create));
        routes.add(HttpMethod.GET, BASE, guarded(this::list));
        routes.add(HttpMethod.GET, BASE + "/{name}", guarded(this::get));
        routes.add(HttpMethod.PATCH, BASE + "/{name}", guarded(this::update));
        routes.add(HttpMethod.DELETE, BASE + "/{name}", guarded(this::delete));
        routes.add(HttpMethod.GET, BASE + "/{name}/usage", guarded(this::usage));
    }

    private interface AdminHandler {
        Mono<Void> handle(HttpServerRequest request, HttpServerResponse response, String name);
    }

    private Handler guarded(AdminHandler handler) {
        return (request, response, params) -> {
            if (!authorized(request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION))) {
                return Mono.error(new GatewayException(401, "unauthorized", "admin_token_required", null,
                        "The admin API needs 'Authorization: Bearer <auth.admin_token>'."));
            }
            // Routes without {name} (list, create) ignore it.
            return handler.handle(request, response, params.getOrDefault("name", ""));
        };
    }

    private boolean authorized(@Nullable String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        // Constant time, so the token cannot be guessed byte by byte from response times.
        return MessageDigest.isEqual(adminToken, authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8));
    }

    private Mono<Void> create(HttpServerRequest request, HttpServerResponse response, String unused) {
        return bodies.read(request).flatMap(this::object).flatMap(this::spec).flatMap(spec -> keys.create(spec)
                .onErrorMap(DuplicateKeyException.class, e -> conflict(e.getMessage()))
                .flatMap(created -> send(response, HttpResponseStatus.CREATED, views.key(created.key(), created.value()))));
    }

    private Mono<Void> list(HttpServerRequest request, HttpServerResponse response, String unused) {
        return keys.list().collectList().flatMap(all -> {
            ObjectNode list = json.createObjectNode().put("object", "list");
            ArrayNode data = list.putArray("data");
            all.forEach(key -> data.add(views.key(key, null)));
            return send(response, HttpResponseStatus.OK, list);
        });
    }

    private Mono<Void> get(HttpServerRequest request, HttpServerResponse response, String name) {
        return keys.get(name)
                .switchIfEmpty(Mono.error(() -> notFound(name)))
                .flatMap(key -> send(response, HttpResponseStatus.OK, views.key(key, null)));
    }

    /** Changes the fields the body names; {@code null} removes a limit, budget or expiry. */
    private Mono<Void> update(HttpServerRequest request, HttpServerResponse response, String name) {
        return bodies.read(request).flatMap(this::object).flatMap(patch -> {
            if (patch.containsKey("name") && !name.equals(patch.get("name"))) {
                return Mono.error(new InvalidRequestException("A virtual key cannot be renamed; create a new one instead.", "name"));
            }
            return keys.get(name)
                    .switchIfEmpty(Mono.error(() -> notFound(name)))
                    .flatMap(existing -> {
                        Map<String, Object> merged = views.declaration(existing);
                        merged.putAll(patch);
                        return spec(merged);
                    })
                    .flatMap(spec -> keys.update(name, existing -> VirtualKeyService.apply(existing, spec)))
                    .onErrorMap(DuplicateKeyException.class, e -> conflict(e.getMessage()))
                    .switchIfEmpty(Mono.error(() -> notFound(name)))
                    .flatMap(updated -> send(response, HttpResponseStatus.OK, views.key(updated, null)));
        });
    }

    private Mono<Void> delete(HttpServerRequest request, HttpServerResponse response, String name) {
        return keys.delete(name).flatMap(deleted -> {
            if (!deleted) {
                return Mono.error(notFound(name));
            }
            return send(response, HttpResponseStatus.OK, json.createObjectNode()
                    .put("object", "virtual_key.deleted").put("name", name).put("deleted", true));
        });
    }

    private Mono<Void> usage(HttpServerRequest request, HttpServerResponse response, String name) {
        return keys.usage(name)
                .switchIfEmpty(Mono.error(() -> notFound(name)))
                .flatMap(usage -> send(response, HttpResponseStatus.OK, views.usage(usage)));
    }

    /** The key the body declares, or a 400 with what the configuration reader found wrong. */
    private Mono<VirtualKeySpec> spec(Map<String, Object> body) {
        try {
            return Mono.just(specs.apply(body));
        } catch (IllegalArgumentException e) {
            // The configuration's reader reports a bad value only by throwing: here it becomes the request's answer.
            return Mono.error(new InvalidRequestException(e.getMessage(), null));
        }
    }

    /** The body as a JSON object, or a 400 when it is not one. */
    @SuppressWarnings("unchecked")
    private Mono<Map<String, Object>> object(byte[] bytes) {
        Object value;
        try {
            value = json.readValue(bytes, Object.class);
        } catch (IOException e) {
            return Mono.error(new InvalidRequestException("Request body is not valid JSON.", null));
        }
        return value instanceof Map<?, ?> map ? Mono.just(new LinkedHashMap<>((Map<String, Object>) map))
                : Mono.error(new InvalidRequestException("Request body must be a JSON object.", null));
    }

    private Mono<Void> send(HttpServerResponse response, HttpResponseStatus status, ObjectNode body) {
        return Json.send(response, status, Json.bytes(json, body));
    }

    private static GatewayException notFound(String name) {
        return new GatewayException(404, "not_found", "virtual_key_not_found", null, "No virtual key is named '" + name + "'.");
    }

    private static GatewayException conflict(@Nullable String message) {
        return new GatewayException(409, "conflict", "virtual_key_exists", null, message);
    }
}
