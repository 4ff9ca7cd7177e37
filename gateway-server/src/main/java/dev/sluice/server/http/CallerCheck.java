package dev.sluice.server.http;

import dev.sluice.core.request.CallReport;
import io.netty.handler.codec.http.HttpHeaders;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/**
 * Refuses, from the request's headers alone, a caller the gateway would refuse anyway (no virtual key while one is
 * required, an unknown or unusable one), so that such a caller never gets its body read and buffered.
 */
@FunctionalInterface
public interface CallerCheck {

    /** Emits what the engine learned of the caller (its key's name) when it may go on; fails with the refusal otherwise. */
    Mono<CallReport> check(HttpHeaders headers);

    /** Checks the request's caller, and keeps its key's name for the request's access log. */
    default Mono<Void> check(HttpServerRequest request) {
        return check(request.requestHeaders()).doOnNext(ExchangeReport.of(request)::record).then();
    }

    /** Lets every caller go on: for routes guarded otherwise (the admin API). */
    static CallerCheck none() {
        return headers -> Mono.empty();
    }
}
