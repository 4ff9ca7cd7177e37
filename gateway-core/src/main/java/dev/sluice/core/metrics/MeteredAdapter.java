package dev.sluice.core.metrics;

import dev.sluice.core.format.Operation;
import dev.sluice.core.format.WireFormat;
import dev.sluice.core.provider.ConnectionPoolStats;
import dev.sluice.core.provider.ProviderAdapter;
import dev.sluice.core.provider.ProviderCall;
import dev.sluice.core.sse.SseEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Times one provider's calls (when metrics are on): each call to its last byte (by outcome), a stream's first event
 * and the gaps between its events. Timers stop in {@code doFinally}, so cancelled calls count too.
 */
final class MeteredAdapter implements ProviderAdapter {

    private final GatewayMetrics metrics;
    private final String provider;
    private final ProviderAdapter delegate;

    MeteredAdapter(GatewayMetrics metrics, String provider, ProviderAdapter delegate) {
        this.metrics = metrics;
        this.provider = provider;
        this.delegate = delegate;
    }

    @Override
    public Mono<byte[]> call(ProviderCall call) {
        if (!metrics.enabled()) {
            return delegate.call(call);
        }
        return Mono.defer(() -> {
            long start = System.nanoTime();
            String[] outcome = {null};
            return delegate.call(call)
                    .doOnSuccess(body -> outcome[0] = "success")
                    .doOnError(error -> outcome[0] = GatewayMetrics.outcomeOf(error))
                    .doFinally(signal -> metrics.upstreamTimer(provider, model(call), "unary", outcome(signal, outcome[0]))
                            .record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
        });
    }

    @Override
    public Flux<SseEvent> stream(ProviderCall call) {
        if (!metrics.enabled()) {
            return delegate.stream(call);
        }
        return Flux.defer(() -> {
            long start = System.nanoTime();
            String model = model(call);
            // One subscriber at a time: the events of one stream arrive in order, so plain fields suffice.
            long[] last = {0};
            String[] outcome = {null};
            return delegate.stream(call)
                    .doOnNext(event -> {
                        long now = System.nanoTime();
                        if (last[0] == 0) {
                            metrics.firstEventTimer(provider, model).record(now - start, TimeUnit.NANOSECONDS);
                        } else {
                            metrics.eventGapTimer(provider, model).record(now - last[0], TimeUnit.NANOSECONDS);
                        }
                        last[0] = now;
                    })
                    .doOnComplete(() -> outcome[0] = "success")
                    .doOnError(error -> outcome[0] = GatewayMetrics.outcomeOf(error))
                    .doFinally(signal -> metrics.upstreamTimer(provider, model, "stream", outcome(signal, outcome[0]))
                            .record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
        });
    }

    @Override
    public WireFormat format() {
        return delegate.format();
    }

    @Override
    public boolean supports(Operation operation) {
        return delegate.supports(operation);
    }

    @Override
    public Optional<ConnectionPoolStats> connectionPool() {
        return delegate.connectionPool();
    }

    @Override
    public Mono<Void> close() {
        return delegate.close();
    }

    private String model(ProviderCall call) {
        return metrics.modelTag(provider, call.model());
    }

    private static String outcome(SignalType signal, String seen) {
        if (signal == SignalType.CANCEL) {
            return "cancelled";
        }
        return seen == null ? "success" : seen;
    }
}
