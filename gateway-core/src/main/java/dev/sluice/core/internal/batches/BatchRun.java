package dev.sluice.core.internal.batches;

import dev.sluice.core.batches.Batch;
import dev.sluice.core.batches.BatchRepository;
import dev.sluice.core.batches.BatchStatus;
import dev.sluice.core.batches.LineResult;
import dev.sluice.core.error.ErrorEnvelope;
import dev.sluice.core.error.GatewayException;
import dev.sluice.core.error.UpstreamTimeoutException;
import dev.sluice.core.error.UpstreamUnavailableException;
import dev.sluice.core.files.FileService;
import dev.sluice.core.files.JsonLines;
import dev.sluice.core.internal.lease.Worker;
import dev.sluice.core.internal.usage.UsageReader;
import dev.sluice.core.request.Caller;
import dev.sluice.core.request.GatewayRequest;
import dev.sluice.core.request.GatewayResponse;
import dev.sluice.core.request.Operation;
import dev.sluice.core.request.RequestBody;
import dev.sluice.core.usage.TokenCounts;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import java.time.Clock;
import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Takes one claimed batch from wherever it stands to its end: validates the input file, runs the lines that
 * have no recorded result yet (so a restart resends none), then writes the output and error files. Each
 * step is stored before the next begins, and only if the batch is still in the state the step expects, so
 * a cancel requested meanwhile always wins.
 */
final class BatchRun implements Worker<Batch> {

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

    BatchRun(BatchRepository batches, FileService files, Function<GatewayRequest, Mono<GatewayResponse>> gateway, Clock clock,
             Scheduler timer, int linesAtOnce, Duration statusPoll, String owner) {
        this.batches = batches;
        this.files = files;
        this.gateway = gateway;
        this.clock = clock;
        this.timer = timer;
        this.linesAtOnce = linesAtOnce;
        this.statusPoll = statusPoll;
        this.owner = owner;
    }

    @Override
    public Mono<Void> work(Batch batch) {
        return switch (batch.status()) {
            case VALIDATING -> validate(batch);
            case IN_PROGRESS -> process(batch);
            case FINALIZING -> end(batch, BatchStatus.COMPLETED);
            case CANCELLING -> end(batch, BatchStatus.CANCELLED);
            default -> Mono.empty();
        };
    }

    /** Stores the next state and goes on with it; if the stored state moved meanwhile (a cancel), goes on with that. */
    private Mono<Void> advance(Batch next, BatchStatus expected) {
        return batches.update(next, owner, expected).flatMap(stored -> stored ? work(next)
                : batches.findById(next.id()).filter(current -> current.status() != expected).flatMap(this::work));
    }

    private Mono<Void> validate(Batch batch) {
        return Mono.defer(() -> {
            BatchValidator validator = new BatchValidator(batch.endpoint());
            return requests(batch)
                    .doOnNext(line -> validator.check(line.number(), line.bytes()))
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
        Mono<Void> stop = mustStop(batch).doOnTerminate(() -> stopping.set(true));
        // Each line's step ends only once its result is committed; the recorder shares transactions between lines
        // that finish while one is being written (see ResultRecorder for why nothing can be lost).
        ResultRecorder recorder = new ResultRecorder(batches, batch.id());
        return unfinished(batch)
                .flatMap(line -> call(batch, line)
                        // An answer that arrives once the batch is stopping is not kept; those that came before are.
                        .filter(result -> !stopping.get())
                        .flatMap(recorder::record), linesAtOnce)
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
                        // A line ended without a recorded result: run what is missing before finalising, never skip it.
                        return process(current);
                    }
                    return advance(current.moveTo(BatchStatus.FINALIZING, clock.instant()), BatchStatus.IN_PROGRESS);
                });
    }

    /** The window has passed: every line without a result fails with {@code batch_expired}, and the batch ends expired. */
    private Mono<Void> expire(Batch batch) {
        return unfinished(batch)
                .map(BatchRun::expired)
                .buffer(RECORD_GROUP)
                .concatMap(group -> batches.recordResults(batch.id(), group))
                .then(Mono.defer(() -> batches.findById(batch.id())))
                .flatMap(current -> current.status() == BatchStatus.IN_PROGRESS ? end(current, BatchStatus.EXPIRED) : work(current));
    }

    /** Writes the files of what was recorded (a file only when it has lines) and stores the final state. */
    private Mono<Void> end(Batch batch, BatchStatus last) {
        return batches.findById(batch.id()).flatMap(current -> Mono.zip(
                        resultsFile(current, false, current.counts().completed()),
                        resultsFile(current, true, current.counts().failed()))
                .flatMap(fileIds -> batches.update(current
                        .withFiles(fileIds.getT1().isEmpty() ? null : fileIds.getT1(), fileIds.getT2().isEmpty() ? null : fileIds.getT2())
                        .moveTo(last, clock.instant()), owner, current.status())))
                .then();
    }

    /** The id of the new output or error file, or {@code ""} when there is nothing to put in it. */
    private Mono<String> resultsFile(Batch batch, boolean errors, int lines) {
        if (lines == 0) {
            return Mono.just("");
        }
        Flux<byte[]> content = batches.results(batch.id(), errors).map(result -> withNewline(result.outputLine()));
        String name = batch.id() + (errors ? "_error" : "_output") + ".jsonl";
        return files.write(batch.ownerKeyId(), name, "batch_output", batch.outputExpiresAfter(), content)
                .map(file -> file.id());
    }

    private Flux<JsonLines.Line> requests(Batch batch) {
        return JsonLines.lines(files.content(batch.inputFileId())).filter(line -> !isBlank(line.bytes()));
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
        BatchLine request;
        try {
            request = BatchLine.parse(line.number(), line.bytes());
        } catch (BatchLine.Unreadable e) {
            return Mono.just(unanswered(line.number(), "?", "invalid_request", "Line " + line.number() + " " + e.getMessage()));
        }
        String customId = request.customId();
        return Mono.defer(() -> gateway.apply(new GatewayRequest(Operation.fromPath(batch.endpoint().substring("/v1/".length())),
                        RequestBody.parse(request.body()).withoutStream(), null, Caller.ownedBy(batch.ownerKeyId()))))
                .retryWhen(LineRetries.until(batch.expiresAt(), clock, timer))
                .map(answer -> new LineResult(line.number(), customId, false, OutputLines.answered(customId, 200, answer.body()),
                        OutputLines.modelOf(answer.body()), UsageReader.fromBody(answer.body())))
                .onErrorResume(error -> Mono.just(failed(line.number(), customId, error)));
    }

    private static LineResult failed(int number, String customId, Throwable error) {
        if (error instanceof UpstreamUnavailableException || error instanceof UpstreamTimeoutException) {
            GatewayException failure = (GatewayException) error;
            return unanswered(number, customId, failure.code(), failure.getMessage());
        }
        if (error instanceof GatewayException failure) {
            return new LineResult(number, customId, true, OutputLines.answered(customId, failure.status(), ErrorEnvelope.bodyOf(failure)),
                    null, TokenCounts.NONE);
        }
        return unanswered(number, customId, "internal_error", "The gateway failed to run this line.");
    }

    private static LineResult unanswered(int number, String customId, String code, String message) {
        return new LineResult(number, customId, true, OutputLines.unanswered(customId, code, message), null, TokenCounts.NONE);
    }

    private static LineResult expired(JsonLines.Line line) {
        String customId;
        try {
            customId = BatchLine.parse(line.number(), line.bytes()).customId();
        } catch (BatchLine.Unreadable e) {
            customId = "?";
        }
        return unanswered(line.number(), customId, "batch_expired", "This line was not finished within the batch's completion window.");
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
