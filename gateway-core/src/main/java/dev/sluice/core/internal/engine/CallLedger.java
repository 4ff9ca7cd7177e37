package dev.sluice.core.internal.engine;

import dev.sluice.core.error.GatewayException;
import dev.sluice.core.internal.governance.Admission;
import dev.sluice.core.request.CallReport;
import dev.sluice.core.usage.TokenCounts;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Collects, while one request is served, what its {@link CallReport} says. Written from whichever thread the pipeline
 * runs on and read by whoever holds the answer, hence volatile and atomic fields.
 */
final class CallLedger {

    private final AtomicLong upstreamNanos = new AtomicLong();
    private final AtomicLong upstreamSince = new AtomicLong();
    private volatile String virtualKey;
    private volatile String provider;
    private volatile String model;
    private volatile TokenCounts tokens;

    void identified(Admission caller) {
        virtualKey = caller.anonymous() ? null : caller.key().name();
    }

    /** The request was admitted for {@code provider/model}. */
    void target(String providerAndModel) {
        int slash = providerAndModel.indexOf('/');
        provider = slash < 0 ? providerAndModel : providerAndModel.substring(0, slash);
        model = slash < 0 ? null : providerAndModel.substring(slash + 1);
    }

    void tokens(TokenCounts counts) {
        tokens = counts;
    }

    /** The call, its time counted as upstream. Calls are sequential (retries, fallbacks): one is open at a time. */
    <T> Mono<T> upstream(Mono<T> call) {
        return Mono.defer(() -> {
            upstreamSince.set(System.nanoTime());
            return call.doFinally(signal -> upstreamEnded());
        });
    }

    /** The stream, its time counted as upstream until it ends. */
    <T> Flux<T> upstream(Flux<T> stream) {
        return Flux.defer(() -> {
            upstreamSince.set(System.nanoTime());
            return stream.doFinally(signal -> upstreamEnded());
        });
    }

    private void upstreamEnded() {
        long since = upstreamSince.getAndSet(0);
        if (since != 0) {
            upstreamNanos.addAndGet(System.nanoTime() - since);
        }
    }

    /** What was learned so far, an open upstream call counted up to now. */
    CallReport report() {
        long since = upstreamSince.get();
        long upstream = upstreamNanos.get() + (since == 0 ? 0 : System.nanoTime() - since);
        return new CallReport(virtualKey, provider, model, tokens, upstream);
    }

    /** The failure, carrying what was learned before it, for the access log of the refusal or error it becomes. */
    Throwable failed(Throwable error) {
        if (error instanceof GatewayException failure) {
            failure.report(report());
        }
        return error;
    }
}
