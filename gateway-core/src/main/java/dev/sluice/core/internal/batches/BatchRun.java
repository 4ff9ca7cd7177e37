package dev.sluice.core.internal.batches;

import dev.sluice.core.batches.Batch;
import dev.sluice.core.batches.BatchError;
import dev.sluice.core.batches.BatchLimits;
import dev.sluice.core.batches.BatchRepository;
import dev.sluice.core.batches.BatchStatus;
import dev.sluice.core.batches.LineResult;
import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.internal.ids.FileIds;
import dev.sluice.core.files.FileService;
import dev.sluice.core.files.JsonLines;
import dev.sluice.core.format.Operation;
import dev.sluice.core.format.RequestBody;
import dev.sluice.core.internal.lease.Faults;
import dev.sluice.core.internal.lease.Worker;
import dev.sluice.core.internal.resilience.RetryRule;
import dev.sluice.core.request.Caller;
import dev.sluice.core.request.GatewayRequest;
import dev.sluice.core.request.GatewayResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Takes one claimed batch from wherever it stands to its end: validates the input file, runs the lines that
 * have no recorded result yet (so a restart resends none), then writes the output and error files. Each
 * step is stored before the next begins, and only if the batch is still in the state the step expects, so
 * a cancel requested meanwhile always wins.
 *
 * <p>Work ends: a fault that trying again cannot cure (the input file gone, a value the store refuses, a bug) fails
 * the batch at once, keeping what finished; a transient one (the store briefly away) lets the lease lapse, and the
 * batch is tried again, counting an attempt. The last attempt does not run lines: it writes what finished and fails
 * the batch with {@code attempts_exhausted}.
 */
final class BatchRun implements Worker<Batch> {

    private static final Logger log = LoggerFactory.getLogger(BatchRun.class);

    /** Results of expired lines are recorded this many to a transaction. */
    private static final int RECORD_GROUP = 64;

    private final BatchRepository batches;
    private final FileService files;
    private final Function<GatewayRequest, Mono<GatewayResponse>> gateway;
    private final Clock clock;
    private final Scheduler timer;
    private final int linesAtOnce;
    private final Duration statusPoll;
    private final String owner;
    private final BatchLimits limits;
    private final int maxAttempts;
    private final RetryRule lineRetries;

    BatchRun(BatchRepository batches, FileService files, Function<GatewayRequest, Mono<GatewayResponse>> gateway, Clock clock,
             Scheduler timer, int linesAtOnce, Duration statusPoll, String owner, BatchLimits limits, int maxAttempts,
             RetryRule lineRetries) {
        this.batches = batches;
        this.files = files;
        this.gateway = gateway;
        this.clock = clock;
        this.timer = timer;
        this.linesAtOnce = linesAtOnce;
        this.statusPoll = statusPoll;
        this.owner = owner;
        this.limits = limits;
        this.maxAttempts = maxAttempts;
        this.lineRetries = lineRetries;
    }

    @Override
    public Mono<Void> work(Batch batch) {
        if (batch.attempts() >= maxAttempts) {
            return fail(batch, new BatchError("attempts_exhausted", "The batch was stopped after " + maxAttempts
                    + " attempts: each time, the gateway instance running it stopped before it ended. The lines that had"
                    + " finished are in the output and error files.", null, null));
        }
        return step(batch).onErrorResume(error -> !Faults.isTransient(error), error -> {
            log.warn("Batch {} failed with a fault that trying again cannot cure; it ends failed", batch.id(), error);
            return fail(batch, new BatchError("internal_error", "The batch failed inside the gateway and cannot go on. The"
                    + " lines that had finished are in the output and error files.", null, null));
        });
    }

    private Mono<Void> step(Batch batch) {
        return switch (batch.status()) {
            case VALIDATING -> withInput(batch, this::validate);
            case IN_PROGRESS -> withInput(batch, this::process);
            case FINALIZING -> end(batch, BatchStatus.COMPLETED);
            case CANCELLING -> end(batch, BatchStatus.CANCELLED);
            default -> Mono.empty();
        };
    }

    /** Stores the next state and goes on with it; if the stored state moved meanwhile (a cancel), goes on with that. */
    private Mono<Void> advance(Batch next, BatchStatus expected) {
        return batches.update(next, owner, expected).flatMap(stored -> stored ? step(next)
                : batches.findById(next.id()).filter(current -> current.status() != expected).flatMap(this::step));
    }

    /** Runs {@code then} while the input file is there; a batch whose input was deleted can never run, and fails. */
    private Mono<Void> withInput(Batch batch, Function<Batch, Mono<Void>> then) {
        return files.exists(batch.inputFileId()).flatMap(exists -> exists ? then.apply(batch)
                : fail(batch, new BatchError("input_file_missing", "The input file " + batch.inputFileId()
                        + " was deleted before the batch could run it.", "input_file_id", null)));
    }

    private Mono<Void> validate(Batch batch) {
        return Mono.defer(() -> {
            BatchValidator validator = new BatchValidator(batch.endpoint(), limits);
            return requests(batch)
                    .takeWhile(line -> validator.wantsMore())
                    .doOnNext(line -> validator.check(line.number(), line.bytes()))
                    // A line over the limit ends the reading: the file is refused with it.
                    .onErrorResume(InvalidRequestException.class, tooLong -> {
                        validator.refuseFile("line_too_long", tooLong.getMessage());
                        return Mono.empty();
                    })
                    .then(Mono.defer(() -> validator.errors().isEmpty()
                            ? advance(batch.withTotal(validator.requests()).moveTo(BatchStatus.IN_PROGRESS, clock.instant()), BatchStatus.VALIDATING)
                            : advance(batch.withErrors(validator.errors()).moveTo(BatchStatus.FAILED, clock.instant()), BatchStatus.VALIDATING)));
        });
    }

    private Mono<Void> process(Batch batch) {
        if (!clock.instant().isBefore(batch.expiresAt())) {
            return expire(batch);
        }
        AtomicBoolean stopping = new AtomicBoolean();
        AtomicInteger recorded = new AtomicInteger();
        Mono<Void> stop = mustStop(batch).doOnTerminate(() -> stopping.set(true));
        // Each line's step ends only once its result is committed; the recorder shares transactions between lines
        // that finish while one is being written (see ResultRecorder for why nothing can be lost).
        ResultRecorder recorder = new ResultRecorder(batches, batch.id());
        return unfinished(batch)
                .flatMap(line -> call(batch, line)
                        // An answer that arrives once the batch is stopping is not kept; those that came before are.
                        .filter(result -> !stopping.get())
                        .flatMap(result -> recorder.record(result).doOnSuccess(done -> recorded.incrementAndGet())), linesAtOnce)
                .takeUntilOther(stop)
                // Read the counters only after the last write this run started, whatever ended the lines.
                .onErrorResume(error -> recorder.drained().then(Mono.error(error)))
                .then(recorder.drained())
                .then(Mono.defer(() -> batches.findById(batch.id())))
                .flatMap(current -> {
                    if (current.status() == BatchStatus.CANCELLING) {
                        return end(current, BatchStatus.CANCELLED);
                    }
                    if (current.status() != BatchStatus.IN_PROGRESS) {
                        return Mono.empty();
                    }
                    if (!clock.instant().isBefore(current.expiresAt())) {
                        return expire(current);
                    }
                    if (current.counts().completed() + current.counts().failed() < current.counts().total()) {
                        if (recorded.get() == 0 && !stopping.get()) {
                            // A pass that found lines to run but recorded none would find the same next time: the file
                            // no longer holds the lines it was validated with.
                            return fail(current, new BatchError("input_file_changed", "The input file " + current.inputFileId()
                                    + " no longer holds the lines it was validated with.", "input_file_id", null));
                        }
                        // A line ended without a recorded result: run what is missing before finalising, never skip it.
                        return process(current);
                    }
                    return advance(current.moveTo(BatchStatus.FINALIZING, clock.instant()), BatchStatus.IN_PROGRESS);
                });
    }

    /** The window has passed: every line without a result fails with {@code batch_expired}, and the batch ends expired. */
    private Mono<Void> expire(Batch batch) {
        return unfinished(batch)
                .map(LineResults::expired)
                .buffer(RECORD_GROUP)
                .concatMap(group -> batches.recordResults(batch.id(), group))
                .then(Mono.defer(() -> batches.findById(batch.id())))
                .flatMap(current -> current.status() == BatchStatus.IN_PROGRESS ? end(current, BatchStatus.EXPIRED) : step(current));
    }

    /** Ends the batch as failed with {@code error}, writing the files of what finished; nothing when it is final already. */
    private Mono<Void> fail(Batch batch, BatchError error) {
        return batches.findById(batch.id()).flatMap(current -> {
            if (current.status().isFinal()) {
                return Mono.empty();
            }
            List<BatchError> errors = new ArrayList<>(current.errors());
            errors.add(error);
            return end(current.withErrors(errors), BatchStatus.FAILED);
        });
    }

    /**
     * Writes the files of what was recorded (a file only when it has lines) and stores the final state. {@code current}
     * was read after the last result was recorded. The files' ids are the batch's own, so that ending again after a
     * crash replaces them: one set of files, never two.
     */
    private Mono<Void> end(Batch current, BatchStatus last) {
        return Mono.zip(resultsFile(current, false, current.counts().completed()), resultsFile(current, true, current.counts().failed()))
                .flatMap(fileIds -> batches.update(current
                        .withFiles(fileIds.getT1().isEmpty() ? null : fileIds.getT1(), fileIds.getT2().isEmpty() ? null : fileIds.getT2())
                        .moveTo(last, clock.instant()), owner, current.status()))
                .then();
    }

    /** The id of the output or error file, or {@code ""} when there is nothing to put in it. */
    private Mono<String> resultsFile(Batch batch, boolean errors, int lines) {
        if (lines == 0) {
            return Mono.just("");
        }
        Flux<byte[]> content = batches.results(batch.id(), errors).map(result -> withNewline(result.outputLine()));
        String kind = errors ? "error" : "output";
        return files.write(FileIds.derived(batch.id(), kind), batch.ownerKeyId(), batch.id() + "_" + kind + ".jsonl", "batch_output",
                        batch.outputExpiresAfter(), content)
                .map(file -> file.id());
    }

    private Flux<JsonLines.Line> requests(Batch batch) {
        return JsonLines.lines(files.content(batch.inputFileId()), limits.maxLineBytes()).filter(line -> !isBlank(line.bytes()));
    }

    private Flux<JsonLines.Line> unfinished(Batch batch) {
        return batches.finishedLines(batch.id())
                .collect(BitSet::new, BitSet::set)
                .flatMapMany(done -> requests(batch).filter(line -> !done.get(line.number())));
    }

    /** Completes once the batch is asked to cancel or its window has passed, whichever comes first. */
    private Mono<Void> mustStop(Batch batch) {
        return Flux.interval(statusPoll, statusPoll, timer)
                .onBackpressureDrop()
                .concatMap(tick -> !clock.instant().isBefore(batch.expiresAt()) ? Mono.just(true)
                        : batches.findById(batch.id()).map(current -> current.status() == BatchStatus.CANCELLING), 1)
                .filter(stop -> stop)
                .next()
                .then();
    }

    private Mono<LineResult> call(Batch batch, JsonLines.Line line) {
        return switch (BatchLine.read(line.number(), line.bytes())) {
            // Validated before it ran, so only a file changed since gets here.
            case ReadLine.Unreadable unreadable -> Mono.just(LineResults.unanswered(line.number(), "?", "invalid_request",
                    "Line " + line.number() + " " + unreadable.reason()));
            case BatchLine request -> send(batch, request);
        };
    }

    private Mono<LineResult> send(Batch batch, BatchLine request) {
        String customId = request.customId();
        return Mono.defer(() -> gateway.apply(new GatewayRequest(Operation.ofPath(batch.endpoint().substring("/v1/".length())).orElseThrow(),
                        RequestBody.parse(request.body()).withoutStream(), null, Caller.ownedBy(batch.ownerKeyId()))))
                .retryWhen(LineRetries.until(batch.expiresAt(), clock, timer, lineRetries))
                .map(answer -> LineResults.answered(request.number(), customId, answer.body()))
                .onErrorResume(error -> Mono.just(LineResults.failed(request.number(), customId, error)));
    }

    private static byte[] withNewline(byte[] line) {
        byte[] out = new byte[line.length + 1];
        System.arraycopy(line, 0, out, 0, line.length);
        out[line.length] = '\n';
        return out;
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }
}
