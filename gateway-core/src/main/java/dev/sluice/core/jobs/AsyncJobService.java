package dev.sluice.core.jobs;

import dev.sluice.core.request.Caller;
import dev.sluice.core.request.GatewayRequest;
import dev.sluice.core.format.Operation;
import reactor.core.publisher.Mono;

import java.time.Duration;

/**
 * Async jobs as callers see them: submit an inference now, find it later. A job belongs to the virtual key
 * that submitted it; to anyone else (another key, no key) it does not exist. The engine runs jobs under the
 * submitter's key, with all its governance.
 */
public interface AsyncJobService {

    /** The longest a finished job's result is kept: what a submitter may ask for, and the default's bound. */
    Duration MAX_RESULT_TTL = Duration.ofDays(30);

    /** How long results are kept when the submitter does not say. */
    Duration defaultResultTtl();

    /**
     * Stores the request as a pending job, after refusing with 400 what could never run: a stream, a body
     * without what its operation needs, an unroutable model, or an unknown virtual key.
     *
     * @param resultTtl how long the result is kept after completion, at most {@link #MAX_RESULT_TTL}; {@code null} for
     *                  the default
     */
    Mono<AsyncJob> submit(GatewayRequest request, Duration resultTtl);

    /**
     * The job as this caller may see it: empty when there is no such job, it was submitted for another
     * operation, its result has expired, or it belongs to a key other than the caller's.
     */
    Mono<AsyncJob> find(String id, Operation operation, Caller caller);

    /** The job as this caller may see it, as for {@link #find(String, Operation, Caller)}. */
    Mono<AsyncJob> find(String id, JobType type, Caller caller);

    /** Cancels the job if it has not finished, and emits it as it is then; empty as for {@link #find}. */
    Mono<AsyncJob> cancel(String id, Operation operation, Caller caller);
}
