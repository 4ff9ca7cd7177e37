package dev.sluice.core.internal.jobs;

import dev.sluice.core.error.GatewayException;
import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.internal.governance.Governor;
import dev.sluice.core.internal.ids.JobIds;
import dev.sluice.core.jobs.AsyncJob;
import dev.sluice.core.jobs.AsyncJobRepository;
import dev.sluice.core.jobs.AsyncJobService;
import dev.sluice.core.jobs.JobType;
import dev.sluice.core.request.Caller;
import dev.sluice.core.request.GatewayRequest;
import dev.sluice.core.format.Operation;
import dev.sluice.core.format.RequestBody;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Async jobs kept in an {@link AsyncJobRepository}, with callers' keys checked by the {@link Governor}; the
 * {@link JobExecutor} runs them under the submitter's key.
 */
public final class StoredAsyncJobs implements AsyncJobService {

    private final AsyncJobRepository jobs;
    private final Governor governor;
    private final Consumer<GatewayRequest> validator;
    private final Clock clock;
    private final Duration defaultResultTtl;
    private final Runnable submitted;

    /**
     * @param validator throws what the synchronous call would refuse at once (an unknown provider, a
     *                  model no provider lists), so that such a request never becomes a job
     * @param submitted told after each submission, to start the job without waiting for the next poll
     */
    public StoredAsyncJobs(AsyncJobRepository jobs, Governor governor, Consumer<GatewayRequest> validator, Clock clock,
                           Duration defaultResultTtl, Runnable submitted) {
        this.jobs = jobs;
        this.governor = governor;
        this.validator = validator;
        this.clock = clock;
        this.defaultResultTtl = defaultResultTtl;
        this.submitted = submitted;
    }

    /** How long results are kept when the submitter does not say. */
    @Override
    public Duration defaultResultTtl() {
        return defaultResultTtl;
    }

    /**
     * Stores the request as a pending job, after refusing with 400 what could never run: a stream, a body
     * without what its operation needs, an unroutable model, or an unknown virtual key.
     *
     * @param resultTtl how long the result is kept after completion, at most {@link #MAX_RESULT_TTL}; {@code null} for
     *                  the default
     */
    @Override
    public Mono<AsyncJob> submit(GatewayRequest request, Duration resultTtl) {
        return Mono.defer(() -> {
            if (resultTtl != null) {
                checkResultTtl(resultTtl);
            }
            refuseWhatCannotRun(request);
            validator.accept(request);
            return governor.identify(request.caller())
                    .onErrorMap(GatewayException.class, StoredAsyncJobs::asSubmitRefusal)
                    .flatMap(caller -> jobs.insert(AsyncJob.submitted(JobIds.next(), new JobType(request.format(), request.operation()).wire(), caller.ownerId(),
                            request.body().bytes(), request.defaultProvider(), resultTtl == null ? defaultResultTtl : resultTtl,
                            clock.instant())))
                    .doOnNext(job -> submitted.run());
        });
    }

    /**
     * The job as this caller may see it: empty when there is no such job, it was submitted for another
     * operation, its result has expired, or it belongs to a key other than the caller's.
     */
    @Override
    public Mono<AsyncJob> find(String id, Operation operation, Caller caller) {
        return find(id, JobType.openAi(operation), caller);
    }

    /** The job as this caller may see it, as for {@link #find(String, Operation, Caller)}. */
    @Override
    public Mono<AsyncJob> find(String id, JobType type, Caller caller) {
        return jobs.findById(id)
                .filter(job -> job.operation().equals(type.wire()))
                .filter(job -> job.expiresAt() == null || clock.instant().isBefore(job.expiresAt()))
                // A job submitted without a key is anyone's to poll (its id is unguessable); a keyed one only its key's.
                .filterWhen(job -> job.ownerKeyId() == null ? Mono.just(true) : governor.owns(caller, job.ownerKeyId()));
    }

    /** Cancels the job if it has not finished, and emits it as it is then; empty as for {@link #find}. */
    @Override
    public Mono<AsyncJob> cancel(String id, Operation operation, Caller caller) {
        return find(id, operation, caller)
                .flatMap(job -> job.status().isFinal() ? Mono.just(job)
                        : jobs.cancel(id, clock.instant()).then(jobs.findById(id)));
    }

    private static void checkResultTtl(Duration ttl) {
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(MAX_RESULT_TTL) > 0) {
            throw new InvalidRequestException("result TTL: " + ttl.toSeconds() + " seconds (expected: 1 to "
                    + MAX_RESULT_TTL.toSeconds() + ", at most 30 days)", null);
        }
    }

    private static void refuseWhatCannotRun(GatewayRequest request) {
        RequestBody body = request.body();
        if (body.stream()) {
            throw new InvalidRequestException("stream is not supported for async requests; poll the job for its result.", "stream");
        }
        String required = switch (request.operation()) {
            case CHAT_COMPLETIONS -> "messages";
            case COMPLETIONS -> "prompt";
            case EMBEDDINGS -> "input";
            case RESPONSES, COUNT_TOKENS -> null;
        };
        if (required != null && !body.has(required)) {
            throw new InvalidRequestException("'" + required + "' is required for " + request.operation().path() + ".", required);
        }
    }

    private static GatewayException asSubmitRefusal(GatewayException refusal) {
        // Nothing is stored for a caller that cannot be identified: a plain 400, as for any other bad submission.
        return refusal.status() == 401 && "virtual_key_not_found".equals(refusal.type())
                ? new GatewayException(400, refusal.type(), refusal.code(), null, refusal.getMessage())
                : refusal;
    }
}
