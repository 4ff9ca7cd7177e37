package dev.sluice.server.http;

import io.netty.handler.codec.http.HttpHeaders;
import reactor.core.publisher.Mono;

/**
 * Refuses, from the request's headers alone, a caller the gateway would refuse anyway (no virtual key while one is
 * required, an unknown or unusable one), so that such a caller never gets its body read and buffered.
 */
@FunctionalInterface
public interface CallerCheck {

    /** Completes when the caller may go on; fails with the refusal otherwise. */
    Mono<Void> check(HttpHeaders headers);

    /** Lets every caller go on: for routes guarded otherwise (the admin API). */
    static CallerCheck none() {
        return headers -> Mono.empty();
    }
}
