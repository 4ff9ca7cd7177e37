package dev.sluice.core.batches;

import dev.sluice.core.request.Caller;
import reactor.core.publisher.Mono;

import java.util.List;

/**
 * The OpenAI Batch API as callers see it: create a batch over an uploaded file, read it, list, cancel. A
 * batch belongs to the virtual key that created it; to anyone else it does not exist. The engine runs the lines.
 */
public interface BatchService {

    /** The endpoints a batch line may call. */
    List<String> ENDPOINTS = List.of("/v1/chat/completions", "/v1/completions", "/v1/responses", "/v1/embeddings");

    /** The only completion window a batch may ask for. */
    String COMPLETION_WINDOW = "24h";

    /** Validates the request and stores the batch as {@code validating}; its lines are checked when it runs. */
    Mono<Batch> create(Caller caller, BatchRequest request);

    /** The batch if this caller may see it; empty otherwise. */
    Mono<Batch> get(String id, Caller caller);

    /** The caller's batches, newest first. */
    Mono<BatchPage> list(Caller caller, String after, int limit);

    /**
     * Asks a batch that has not finished to stop: it becomes {@code cancelling}, then {@code cancelled} once
     * its executor has written what was finished. Empty when the caller may not see the batch; 400 when it is final,
     * 409 when it is finalizing (its files are being written, and a cancel would make a second set).
     */
    Mono<Batch> cancel(String id, Caller caller);
}
