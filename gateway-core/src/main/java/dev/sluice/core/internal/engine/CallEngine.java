package dev.sluice.core.internal.engine;

import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.error.UpstreamProtocolException;
import dev.sluice.core.internal.governance.Governor;
import dev.sluice.core.internal.governance.MeteredStream;
import dev.sluice.core.internal.resilience.Attempt;
import dev.sluice.core.internal.resilience.ResilientCalls;
import dev.sluice.core.internal.routing.FallbackPlan;
import dev.sluice.core.internal.routing.Route;
import dev.sluice.core.internal.translate.ProviderBridge;
import dev.sluice.core.provider.ProviderCall;
import dev.sluice.core.format.WireFormat;
import dev.sluice.core.request.GatewayRequest;
import dev.sluice.core.request.GatewayResponse;
import dev.sluice.core.request.GatewayStream;
import dev.sluice.core.format.Operation;
import dev.sluice.core.request.Served;
import dev.sluice.core.sse.SseEvent;
import dev.sluice.core.usage.TokenCounts;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The call and stream pipelines: identify the caller, plan the targets, admit the request under its key, call the
 * providers with retries and fallbacks, and charge what the answer used.
 */
public final class CallEngine {

    private final Governor governor;
    private final FallbackPlan plan;
    private final ResilientCalls resilience;

    public CallEngine(Governor governor, FallbackPlan plan, ResilientCalls resilience) {
        this.governor = governor;
        this.plan = plan;
        this.resilience = resilience;
    }

    /** A unary call, as {@link dev.sluice.core.Gateway#call} says. */
    public Mono<GatewayResponse> call(GatewayRequest request) {
        return Mono.defer(() -> {
            CallLedger ledger = new CallLedger();
            return governor.identify(request.caller()).flatMap(caller -> {
                ledger.identified(caller);
                List<Route> targets = plan.targets(request, caller);
                String target = FallbackPlan.target(targets.get(0));
                ledger.target(target);
                return governor.admit(caller, target, request.body().bytes())
                        .flatMap(reservation -> resilience.call(targets, attempt -> {
                                    ProviderBridge bridge = plan.bridge(request, attempt.route());
                                    return ledger.upstream(attempt.route().provider().adapter().call(providerCall(request, attempt, bridge, false)))
                                            .onErrorMap(bridge::error)
                                            .map(bridge::answer);
                                })
                                .flatMap(answered -> {
                                    Served served = answered.served();
                                    TokenCounts tokens = request.format().usage(answered.value());
                                    ledger.tokens(tokens);
                                    return governor.record(caller, reservation, served.provider() + "/" + served.model(), tokens)
                                            .then(Mono.fromSupplier(() -> new GatewayResponse(answered.value(), served.provider(),
                                                    served.model(), served.fallbackIndex(), ledger.report())));
                                })
                                // Failed or cancelled before its usage was recorded: the budget gets its reservation back.
                                .doFinally(signal -> governor.release(reservation)));
            }).onErrorMap(ledger::failed);
        });
    }

    /**
     * A stream, as {@link dev.sluice.core.Gateway#stream} says: emitted once its first event arrived, so that retries
     * and fallbacks apply until then and whoever commits a response on it knows who serves it.
     */
    public Mono<GatewayStream> stream(GatewayRequest request) {
        return Mono.defer(() -> {
            AtomicReference<Served> servedBy = new AtomicReference<>();
            CallLedger ledger = new CallLedger();
            return events(request, servedBy, ledger)
                    // Not cancelled when the Mono completes: the source goes on for whoever subscribes to the events.
                    .switchOnFirst((first, all) -> {
                        if (first.isOnError()) {
                            return Mono.<GatewayStream>error(first.getThrowable());
                        }
                        if (!first.hasValue()) {
                            return Mono.<GatewayStream>error(new UpstreamProtocolException("unknown",
                                    "The provider ended the stream without sending any event."));
                        }
                        return Mono.just(new GatewayStream(servedBy.get(), all, ledger::report));
                    }, false)
                    .single()
                    .onErrorMap(ledger::failed);
        });
    }

    private Flux<SseEvent> events(GatewayRequest request, AtomicReference<Served> servedBy, CallLedger ledger) {
        return governor.identify(request.caller()).flatMapMany(caller -> {
            ledger.identified(caller);
            if (!request.operation().streamable()) {
                throw new InvalidRequestException(request.operation().path() + " cannot be streamed.", "stream");
            }
            List<Route> targets = plan.targets(request, caller);
            AtomicReference<String> answering = new AtomicReference<>(FallbackPlan.target(targets.get(0)));
            ledger.target(answering.get());
            return governor.admit(caller, answering.get(), request.body().bytes()).flatMapMany(reservation -> MeteredStream.meter(
                    resilience.stream(targets, attempt -> {
                        ProviderBridge bridge = plan.bridge(request, attempt.route());
                        return bridge.events(ledger.upstream(attempt.route().provider().adapter()
                                        .stream(providerCall(request, attempt, bridge, true)))
                                .onErrorMap(bridge::error));
                    }, served -> {
                        answering.set(served.provider() + "/" + served.model());
                        servedBy.set(served);
                    }),
                    request.format(),
                    request.format().addedEvents(request.operation(), request.body()),
                    request.body().bytes(),
                    tokens -> {
                        ledger.tokens(tokens);
                        return governor.record(caller, reservation, answering.get(), tokens);
                    },
                    () -> governor.release(reservation)));
        });
    }

    private static ProviderCall providerCall(GatewayRequest request, Attempt attempt, ProviderBridge bridge, boolean askUsage) {
        String model = attempt.route().model();
        return new ProviderCall(bridge.operation(), model, bridge.request(request.body(), model, askUsage), attempt.key());
    }
}
