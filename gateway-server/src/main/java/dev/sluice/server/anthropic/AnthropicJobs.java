package dev.sluice.server.anthropic;

import dev.sluice.core.format.Operation;
import dev.sluice.core.format.anthropic.AnthropicFormat;
import dev.sluice.core.format.anthropic.AnthropicJobAnswers;
import dev.sluice.core.jobs.AsyncJobService;
import dev.sluice.core.jobs.JobStatus;
import dev.sluice.core.jobs.JobType;
import dev.sluice.core.request.GatewayRequest;
import dev.sluice.server.async.AsyncHeaders;
import dev.sluice.server.async.AsyncRoutes;
import dev.sluice.server.http.CallerHeaders;
import dev.sluice.server.http.Json;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;


/**
 * Messages run as jobs through {@code x-bf-async} (submit) and {@code x-bf-async-id} (retrieve), shown as
 * {@link AnthropicJobAnswers} shows them; a failed job answers with its status and Anthropic-shaped error, as the
 * synchronous call would have.
 */
final class AnthropicJobs {

    private static final JobType TYPE = new JobType(AnthropicFormat.ANTHROPIC, Operation.CHAT_COMPLETIONS);

    private final AsyncJobService jobs;

    AnthropicJobs(AsyncJobService jobs) {
        this.jobs = jobs;
    }

    Mono<Void> submit(HttpServerResponse response, GatewayRequest request, HttpHeaders headers) {
        return jobs.submit(request, AsyncHeaders.resultTtl(headers).orElse(null)).flatMap(job -> Json.ok(response, AnthropicJobAnswers.of(job)));
    }

    Mono<Void> retrieve(HttpServerResponse response, String id, HttpHeaders headers) {
        return jobs.find(id, TYPE, CallerHeaders.from(headers))
                .switchIfEmpty(Mono.error(() -> AsyncRoutes.notFound(id)))
                .flatMap(job -> job.status() == JobStatus.FAILED && job.error() != null
                        ? Json.send(response, HttpResponseStatus.valueOf(job.statusCode() == null ? 500 : job.statusCode()), job.error())
                        : Json.ok(response, AnthropicJobAnswers.of(job)));
    }
}
