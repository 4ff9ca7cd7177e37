package dev.sluice.core.internal.jobs;

import dev.sluice.core.error.ErrorEnvelope;
import dev.sluice.core.error.GatewayException;
import dev.sluice.core.jobs.AsyncJob;
import dev.sluice.core.jobs.JobOutcome;
import dev.sluice.core.jobs.JobType;
import dev.sluice.core.provider.WireFormat;
import dev.sluice.core.request.Caller;
import dev.sluice.core.request.GatewayRequest;
import dev.sluice.core.request.GatewayResponse;
import dev.sluice.core.request.RequestBody;
import reactor.core.publisher.Mono;

import java.util.function.Function;

/**
 * Runs a job as the synchronous request it stands for, under its submitter's key; every failure becomes a
 * failed outcome with its status and error body.
 */
public final class InferenceJobRunner implements JobRunner {

    private final Function<GatewayRequest, Mono<GatewayResponse>> call;

    /**
     * @param call the engine's unary call
     */
    public InferenceJobRunner(Function<GatewayRequest, Mono<GatewayResponse>> call) {
        this.call = call;
    }

    @Override
    public Mono<JobOutcome> run(AsyncJob job) {
        return Mono.defer(() -> {
                    JobType type = JobType.parse(job.operation());
                    if (type == null) {
                        throw new IllegalStateException("job " + job.id() + " has an unknown type " + job.operation());
                    }
                    return call.apply(new GatewayRequest(type.operation(), type.format(), RequestBody.parse(job.request()),
                            job.defaultProvider(), Caller.ownedBy(job.ownerKeyId())));
                })
                .map(answer -> JobOutcome.completed(answer.body()))
                .onErrorResume(error -> {
                    GatewayException failure = error instanceof GatewayException known ? known
                            : new GatewayException(500, "server_error", "internal_error", null, "The job failed unexpectedly.");
                    JobType type = JobType.parse(job.operation());
                    return Mono.just(JobOutcome.failed(failure.status(),
                            ErrorEnvelope.bodyOf(failure, type == null ? WireFormat.OPENAI : type.format())));
                });
    }
}
