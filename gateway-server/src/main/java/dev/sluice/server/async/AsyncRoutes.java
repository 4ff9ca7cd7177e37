package dev.sluice.server.async;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.error.GatewayException;
import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.format.Operation;
import dev.sluice.core.format.RequestBody;
import dev.sluice.core.jobs.AsyncJob;
import dev.sluice.core.jobs.AsyncJobService;
import dev.sluice.core.request.GatewayRequest;
import dev.sluice.server.http.BodyReader;
import dev.sluice.server.http.CallerCheck;
import dev.sluice.server.http.CallerHeaders;
import dev.sluice.server.http.HttpRoutes;
import dev.sluice.server.http.Json;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;


/**
 * {@code POST /v1/async/{type}} submits the body of the synchronous endpoint as a job (202 with its id);
 * {@code GET /v1/async/{type}/{id}} polls it: 202 while it waits or runs, 200 once it has finished. Every
 * inference type gets these routes, with no code of its own.
 */
public final class AsyncRoutes {

    private final AsyncJobService jobs;
    private final BodyReader bodies;
    private final ObjectMapper json;
    private final AsyncJobJson views;

    public AsyncRoutes(AsyncJobService jobs, BodyReader bodies, ObjectMapper json) {
        this.jobs = jobs;
        this.bodies = bodies;
        this.json = json;
        this.views = new AsyncJobJson(json);
    }

    public void register(HttpRoutes routes) {
        for (Operation operation : Operation.values()) {
            if (!operation.inference()) {
                continue;
            }
            String base = "/v1/async/" + operation.path();
            routes.add(HttpMethod.POST, base, (request, response, params) -> bodies.read(request).flatMap(bytes -> {
                GatewayRequest call = new GatewayRequest(operation, RequestBody.parse(bytes), null, CallerHeaders.from(request.requestHeaders()));
                return jobs.submit(call, AsyncHeaders.resultTtl(request.requestHeaders()).orElse(null))
                        .flatMap(job -> send(response, HttpResponseStatus.ACCEPTED, job));
            }));
            routes.add(HttpMethod.GET, base + "/{id}", (request, response, params) -> {
                String id = params.getOrDefault("id", "");
                if (id.isBlank()) {
                    return Mono.error(new InvalidRequestException("The job id is empty: poll " + base + "/{id}.", "id"));
                }
                return jobs.find(id, operation, CallerHeaders.from(request.requestHeaders()))
                        .switchIfEmpty(Mono.error(() -> notFound(id)))
                        .flatMap(job -> send(response, job.status().isFinal() ? HttpResponseStatus.OK : HttpResponseStatus.ACCEPTED, job));
            });
        }
    }

    /**
     * A caller refused before its submission's body is read, as {@link AsyncJobService#submit} refuses it after: an
     * unknown key is a plain 400 there, nothing being stored for it.
     */
    public static CallerCheck submitters(CallerCheck callers) {
        return headers -> callers.check(headers).onErrorMap(GatewayException.class,
                refusal -> refusal.status() == 401 && "virtual_key_not_found".equals(refusal.type())
                        ? new GatewayException(400, refusal.type(), refusal.code(), null, refusal.getMessage())
                        : refusal);
    }

    /** Not found, whatever the reason: a job another key owns must look exactly like one that never existed. */
    public static GatewayException notFound(String id) {
        return new GatewayException(404, "invalid_request_error", "job_not_found", "id", "No async job with id '" + id + "'.");
    }

    private Mono<Void> send(HttpServerResponse response, HttpResponseStatus status, AsyncJob job) {
        return Json.send(response, status, Json.bytes(json, views.of(job)));
    }
}
