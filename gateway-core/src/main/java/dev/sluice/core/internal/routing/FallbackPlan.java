package dev.sluice.core.internal.routing;

import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.internal.governance.AccessDeniedException;
import dev.sluice.core.internal.governance.Admission;
import dev.sluice.core.internal.translate.ProviderBridge;
import dev.sluice.core.format.WireFormat;
import dev.sluice.core.request.GatewayRequest;
import dev.sluice.core.resilience.FallbackDefaults;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a request may go, in order: its model, then its fallbacks. Also says how a request reaches one target (its
 * {@link ProviderBridge}), since a target that cannot be reached in the request's format is no target.
 */
public final class FallbackPlan {

    /** The most fallbacks one request may name. */
    public static final int MAX_FALLBACKS = 10;

    private final Router router;
    private final FallbackDefaults fallbackDefaults;
    private final Clock clock;

    public FallbackPlan(Router router, FallbackDefaults fallbackDefaults, Clock clock) {
        this.router = router;
        this.fallbackDefaults = fallbackDefaults;
        this.clock = clock;
    }

    /**
     * Fails with the bad target and what was expected when a configured fallback names no configured provider, or a
     * model its provider cannot route.
     */
    public static void checkFallbacks(Router router, FallbackDefaults fallbacks) {
        for (FallbackDefaults.Entry entry : fallbacks.entries()) {
            for (int i = 0; i < entry.targets().size(); i++) {
                String target = entry.targets().get(i);
                String where = "fallbacks." + entry.model() + "[" + i + "]";
                int slash = target.indexOf('/');
                if (slash <= 0 || router.providers().stream().noneMatch(p -> p.name().equals(target.substring(0, slash)))) {
                    throw new IllegalArgumentException(where + ": \"" + target + "\" (expected: provider/model with a configured provider: "
                            + String.join(", ", router.providers().stream().map(Provider::name).toList()) + ")");
                }
                try {
                    router.route(target, null);
                } catch (InvalidRequestException e) {
                    throw new IllegalArgumentException(where + ": \"" + target + "\" (" + e.getMessage() + ")");
                }
            }
        }
    }

    /** The request's own route, checked to be able to serve it; throws what the call would refuse at once. */
    public Route resolve(GatewayRequest request) {
        Route route = router.route(request);
        checkServes(request, route);
        return route;
    }

    void checkServes(GatewayRequest request, Route route) {
        Optional<String> refusal = refusal(request, route);
        if (refusal.isPresent()) {
            throw new InvalidRequestException(refusal.get(), "model");
        }
    }

    /** Why the route's provider cannot serve the request; empty when it can. */
    private Optional<String> refusal(GatewayRequest request, Route route) {
        Optional<ProviderBridge> bridge = between(request, route);
        if (bridge.isEmpty()) {
            WireFormat format = route.provider().adapter().format();
            return Optional.of("Provider '" + route.provider().name() + "' speaks the " + format.name() + " wire format; "
                    + request.operation().path() + " requests in the " + request.format().name()
                    + " format cannot be translated to it.");
        }
        if (!route.provider().adapter().supports(bridge.get().operation())) {
            return Optional.of("Provider '" + route.provider().name() + "' does not serve " + request.operation().path() + ".");
        }
        return Optional.empty();
    }

    /**
     * Where the request may go, in order: its model, then the fallbacks it names, or else those configured for its
     * model. A fallback the request names must be routable, able to serve the request and allowed to the caller's
     * key; a configured one that is not is left out.
     */
    public List<Route> targets(GatewayRequest request, Admission caller) {
        Route primary = resolve(request);
        List<String> asked = request.body().fallbacks();
        List<Route> targets = new ArrayList<>();
        targets.add(primary);
        if (asked != null) {
            if (asked.size() > MAX_FALLBACKS) {
                throw new InvalidRequestException("'fallbacks' names " + asked.size() + " models (expected: at most "
                        + MAX_FALLBACKS + ").", "fallbacks");
            }
            for (int i = 0; i < asked.size(); i++) {
                Route route;
                try {
                    route = router.route(asked.get(i), request.defaultProvider());
                    checkServes(request, route);
                } catch (InvalidRequestException e) {
                    throw new InvalidRequestException("fallbacks[" + i + "]: " + e.getMessage(), "fallbacks", e.code());
                }
                if (!allowed(caller, route)) {
                    throw AccessDeniedException.modelBlocked(caller.key().name(), target(route));
                }
                targets.add(route);
            }
            return targets;
        }
        for (String fallback : fallbackDefaults.of(target(primary))) {
            Route route = router.route(fallback, null);
            if (serves(request, route) && allowed(caller, route)) {
                targets.add(route);
            }
        }
        return targets;
    }

    private boolean serves(GatewayRequest request, Route route) {
        return refusal(request, route).isEmpty();
    }

    private static boolean allowed(Admission caller, Route route) {
        return caller.key() == null || caller.key().allows(target(route));
    }

    /** The route as {@code provider/model}, the name keys allow and budgets price. */
    public static String target(Route route) {
        return route.provider().name() + "/" + route.model();
    }

    /**
     * How the request reaches the route's provider: as is, or translated to its wire format. A request is never
     * sent in a format the provider does not speak.
     */
    public ProviderBridge bridge(GatewayRequest request, Route route) {
        // Every target was checked to have one (checkServes) when the request's targets were planned.
        return between(request, route).orElseThrow(() -> new IllegalStateException(target(route) + " was planned without a bridge"));
    }

    private Optional<ProviderBridge> between(GatewayRequest request, Route route) {
        return ProviderBridge.between(request.format(), request.operation(), route.provider().adapter().format(),
                route.provider().name(), clock);
    }
}
