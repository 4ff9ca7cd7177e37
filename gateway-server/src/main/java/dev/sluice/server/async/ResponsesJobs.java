package dev.sluice.server.async;

import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.format.Operation;
import dev.sluice.core.format.openai.OpenAiFormat;
import dev.sluice.core.format.openai.ResponsesJobAnswers;
import dev.sluice.core.jobs.AsyncJob;
import dev.sluice.core.jobs.AsyncJobService;
import dev.sluice.core.jobs.JobStatus;
import dev.sluice.core.request.Caller;
import dev.sluice.core.request.GatewayRequest;
import dev.sluice.server.http.CallerHeaders;
import dev.sluice.server.http.HttpRoutes;
import dev.sluice.server.http.Json;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

import java.util.Map;
import java.util.Objects;

/**
 * Responses run as jobs: OpenAI's background mode ({@code "background": true}, then
 * {@code GET /v1/responses/{id}} and {@code POST /v1/responses/{id}/cancel}) and the integration route's
 * {@code x-bf-async} (submit) and {@code x-bf-async-id} (retrieve) headers.
 */
public final class ResponsesJobs {

    private final AsyncJobService jobs;

    public ResponsesJobs(AsyncJobService jobs) {
        this.jobs = jobs;
    }

    public void register(HttpRoutes routes) {
        String prefix = OpenAiFormat.OPENAI.routePrefix();
        for (String base : new String[] {"/v1/responses", prefix + "/v1/responses", prefix + "/responses"}) {
            routes.add(HttpMethod.GET, base + "/{id}", (request, response, params) ->
                    find(pathId(params), request.requestHeaders()).flatMap(job -> send(response, job)));
            routes.add(HttpMethod.POST, base + "/{id}/cancel", (request, response, params) ->
                    cancel(pathId(params), request.requestHeaders()).flatMap(job -> send(response, job)));
        }
    }

    /** Submits the request as a job and answers 200 with the queued Responses object. */
    public Mono<Void> submit(HttpServerResponse response, GatewayRequest request, HttpHeaders headers) {
        return jobs.submit(request, AsyncHeaders.resultTtl(headers).orElse(null)).flatMap(job -> send(response, job));
    }

    /**
     * Answers an {@code x-bf-async-id} retrieval: the Responses object (pending or final) with 200, or, for a
     * failed job, its stored status code and error body, as the synchronous call would have answered.
     */
    public Mono<Void> retrieve(HttpServerResponse response, String id, HttpHeaders headers) {
        return find(id, headers).flatMap(job -> job.status() == JobStatus.FAILED && job.error() != null
                ? Json.send(response, HttpResponseStatus.valueOf(job.statusCode() == null ? 500 : job.statusCode()), job.error())
                : send(response, job));
    }

    /** The {@code {id}} of the path: there whenever one of these routes matched. */
    private static String pathId(Map<String, String> params) {
        return Objects.requireNonNull(params.get("id"), "id");
    }

    private Mono<AsyncJob> find(String id, HttpHeaders headers) {
        Caller caller = CallerHeaders.from(headers);
        return jobs.find(id, Operation.RESPONSES, caller).switchIfEmpty(Mono.error(() -> AsyncRoutes.notFound(id)));
    }

    private Mono<AsyncJob> cancel(String id, HttpHeaders headers) {
        return jobs.cancel(id, Operation.RESPONSES, CallerHeaders.from(headers))
                .switchIfEmpty(Mono.error(() -> AsyncRoutes.notFound(id)))
                .flatMap(job -> job.status() == JobStatus.CANCELLED ? Mono.just(job)
                        : Mono.error(new InvalidRequestException("Response " + id + " is already " + job.status().wire()
                                + " and cannot be cancelled.", "id")));
    }

    private Mono<Void> send(HttpServerResponse response, AsyncJob job) {
        return Json.ok(response, ResponsesJobAnswers.of(job));
    }
}
