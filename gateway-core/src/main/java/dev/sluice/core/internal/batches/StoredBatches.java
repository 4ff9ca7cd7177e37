package dev.sluice.core.internal.batches;

import dev.sluice.core.batches.Batch;
import dev.sluice.core.batches.BatchPage;
import dev.sluice.core.batches.BatchRepository;
import dev.sluice.core.batches.BatchRequest;
import dev.sluice.core.batches.BatchService;
import dev.sluice.core.batches.BatchStatus;
import dev.sluice.core.error.GatewayException;
import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.files.FileService;
import dev.sluice.core.internal.governance.Governor;
import dev.sluice.core.internal.ids.SecureIds;
import dev.sluice.core.request.Caller;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Batch API over a {@link BatchRepository}, with callers' keys checked by the {@link Governor}; the
 * {@link BatchExecutor} runs the lines.
 */
public final class StoredBatches implements BatchService {

    private static final Duration WINDOW = Duration.ofHours(24);
    private static final Duration MIN_OUTPUT_TTL = Duration.ofHours(1);
    private static final Duration MAX_OUTPUT_TTL = Duration.ofDays(30);

    private final BatchRepository batches;
    private final FileService files;
    private final Governor governor;
    private final Clock clock;
    private final Runnable created;

    /**
     * @param created told after a batch is created or cancelled, so that an executor picks it up at once
     */
    public StoredBatches(BatchRepository batches, FileService files, Governor governor, Clock clock, Runnable created) {
        this.batches = batches;
        this.files = files;
        this.governor = governor;
        this.clock = clock;
        this.created = created;
    }

    /** Validates the request and stores the batch as {@code validating}; its lines are checked when it runs. */
    @Override
    public Mono<Batch> create(Caller caller, BatchRequest request) {
        return Mono.defer(() -> {
            refuseBadRequest(request);
            return governor.identify(caller).flatMap(admission -> files.get(request.inputFileId(), caller)
                    .switchIfEmpty(Mono.error(() -> new InvalidRequestException("Input file not found: " + request.inputFileId() + ".",
                            "input_file_id")))
                    .flatMap(file -> {
                        if (!file.purpose().equals("batch")) {
                            throw new InvalidRequestException("Input file " + file.id() + " has purpose '" + file.purpose()
                                    + "' (expected: batch).", "input_file_id");
                        }
                        return batches.insert(Batch.created("batch_" + SecureIds.hex(16), admission.ownerId(), request.endpoint(),
                                file.id(), request.completionWindow(), new LinkedHashMap<>(request.metadata()),
                                request.outputExpiresAfter(), clock.instant(), WINDOW));
                    }))
                    .doOnNext(batch -> created.run());
        });
    }

    /** The batch if this caller may see it; empty otherwise. */
    @Override
    public Mono<Batch> get(String id, Caller caller) {
        return batches.findById(id).filterWhen(batch -> governor.owns(caller, batch.ownerKeyId()));
    }

    /** The caller's batches, newest first. */
    @Override
    public Mono<BatchPage> list(Caller caller, String after, int limit) {
        if (limit < 1 || limit > 100) {
            return Mono.error(new InvalidRequestException("limit: " + limit + " (expected: 1 to 100)", "limit"));
        }
        return governor.ownerIdOf(caller)
                .flatMap(owner -> batches.list(owner.orElse(null), after, limit + 1).collectList())
                .map(page -> new BatchPage(page.subList(0, Math.min(limit, page.size())), page.size() > limit));
    }

    /**
     * Asks a batch that has not finished to stop: it becomes {@code cancelling}, then {@code cancelled} once
     * its executor has written what was finished. Empty when the caller may not see the batch; 400 when it is final,
     * 409 when it is finalizing (its files are being written, and a cancel would make a second set).
     */
    @Override
    public Mono<Batch> cancel(String id, Caller caller) {
        return get(id, caller).flatMap(batch -> refuseCancel(batch).then(batches.requestCancel(id, clock.instant()))
                .flatMap(requested -> {
                    created.run();
                    return batches.findById(id)
                            // Moved on between the read and the request: refused as it would have been had it been seen.
                            .flatMap(current -> requested ? Mono.just(current) : refuseCancel(current).thenReturn(current));
                }));
    }

    private static Mono<Void> refuseCancel(Batch batch) {
        if (batch.status().isFinal()) {
            return Mono.error(new InvalidRequestException("Batch " + batch.id() + " is already " + batch.status().wire() + ".", null));
        }
        if (batch.status() == BatchStatus.FINALIZING) {
            return Mono.error(new GatewayException(409, "invalid_request_error", "batch_finalizing", null, "Batch " + batch.id()
                    + " is finalizing: every line has finished and its output files are being written, so it can no longer be cancelled."));
        }
        return Mono.empty();
    }

    private static boolean hasControlCharacters(String text) {
        return text.chars().anyMatch(Character::isISOControl);
    }

    private static void refuseBadRequest(BatchRequest request) {
        if (request.inputFileId() == null || request.inputFileId().isBlank()) {
            throw new InvalidRequestException("input_file_id is required.", "input_file_id");
        }
        if (!ENDPOINTS.contains(request.endpoint())) {
            throw new InvalidRequestException("endpoint: " + request.endpoint() + " (expected one of: " + String.join(", ", ENDPOINTS) + ")",
                    "endpoint");
        }
        if (!COMPLETION_WINDOW.equals(request.completionWindow())) {
            throw new InvalidRequestException("completion_window: " + request.completionWindow() + " (expected: 24h)", "completion_window");
        }
        Map<String, String> metadata = request.metadata();
        if (metadata.size() > 16) {
            throw new InvalidRequestException("metadata has " + metadata.size() + " keys (expected: at most 16).", "metadata");
        }
        metadata.forEach((key, value) -> {
            if (hasControlCharacters(key) || value.indexOf('\u0000') >= 0) {
                throw new InvalidRequestException("metadata holds a control character (expected: none in keys, no NUL in values).",
                        "metadata");
            }
            if (key.length() > 64) {
                throw new InvalidRequestException("metadata key '" + key.substring(0, 16) + "...' is " + key.length()
                        + " characters long (expected: at most 64).", "metadata");
            }
            if (value.length() > 512) {
                throw new InvalidRequestException("metadata value of '" + key + "' is " + value.length()
                        + " characters long (expected: at most 512).", "metadata");
            }
        });
        Duration ttl = request.outputExpiresAfter();
        if (ttl != null && (ttl.compareTo(MIN_OUTPUT_TTL) < 0 || ttl.compareTo(MAX_OUTPUT_TTL) > 0)) {
            throw new InvalidRequestException("output_expires_after.seconds: " + ttl.toSeconds()
                    + " (expected: 3600 to 2592000)", "output_expires_after");
        }
    }
}
