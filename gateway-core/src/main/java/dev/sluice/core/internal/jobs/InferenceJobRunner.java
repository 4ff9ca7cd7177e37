package dev.sluice.core.internal.jobs;

import dev.sluice.core.error.GatewayException;
import dev.sluice.core.format.RequestBody;
import dev.sluice.core.format.WireFormat;
import dev.sluice.core.format.WireFormats;
import dev.sluice.core.jobs.AsyncJob;
import dev.sluice.core.jobs.JobOutcome;
import dev.sluice.core.jobs.JobType;
import dev.sluice.core.request.Caller;
import dev.sluice.core.request.GatewayRequest;
import dev.sluice.core.request.GatewayResponse;
import reactor.core.publisher.Mono;

import java.util.Optional;
import java.util.function.Function;

/**
 * Runs a job as the synchronous request it stands for, under its submitter's key; every failure becomes a
 * failed outcome with its status and error body.
 */
public final class InferenceJobRunner implements JobRunner {

    private final Function<GatewayRequest, Mono<GatewayResponse>> call;
    private final WireFormats formats;

    /**
     * @param call    the engine's unary call
     * @param formats the formats jobs may be asked in
     */
    public InferenceJobRunner(Function<GatewayRequest, Mono<GatewayResponse>> call, WireFormats formats) {
        this.call = call;
        this.formats = formats;
    }

    @Override
    public Mono<JobOutcome> run(AsyncJob job) {
        Optional<JobType> type = JobType.parse(job.operation(), formats);
        Mono<GatewayResponse> answer = type.isEmpty()
                ? Mono.error(new IllegalStateException("job " + job.id() + " has an unknown type " + job.operation()))
                : Mono.defer(() -> call.apply(new GatewayRequest(type.get().operation(), type.get().format(),
                        RequestBody.parse(job.request()), job.defaultProvider(), Caller.ownedBy(job.ownerKeyId()))));
        return answer.map(done -> JobOutcome.completed(done.body()))
                .onErrorResume(error -> Mono.just(failed(job, error instanceof GatewayException known ? known
                        : new GatewayException(500, "server_error", "internal_error", null, "The job failed unexpectedly."))));
    }

    /** In the job's own format: its caller reads the error as the synchronous call would have answered it. */
    @Override
    public JobOutcome failed(AsyncJob job, GatewayException failure) {
        WireFormat format = JobType.parse(job.operation(), formats).map(JobType::format).orElse(formats.fallback());
        return JobOutcome.failed(failure.status(), format.errorBody(failure));
    }
}
