package dev.sluice.core.internal.governance;

import dev.sluice.core.keys.Budget;
import dev.sluice.core.keys.VirtualKey;
import dev.sluice.core.keys.VirtualKeyRepository;
import dev.sluice.core.metrics.GatewayMetrics;
import dev.sluice.core.request.Caller;
import dev.sluice.core.usage.Pricing;
import dev.sluice.core.usage.TokenCounts;
import dev.sluice.core.usage.Usage;
import dev.sluice.core.usage.UsageRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Applies virtual-key governance around each provider call: who is calling (401/403), whether the key
 * may use the model (403), its rates (429, in memory) and its budget (402, from the store, so that every
 * instance sharing the store sees one spend); then charges the answer's usage to the key.
 */
public final class Governor {

    private static final Logger log = LoggerFactory.getLogger(Governor.class);

    private final VirtualKeyRepository keys;
    private final KeyResolver resolver;
    private final RateLimiter rates = new RateLimiter();
    private final BudgetLedger ledger = new BudgetLedger();
    private final UsageRepository usage;
    private final Pricing pricing;
    private final Clock clock;
    private final boolean requireVirtualKey;
    private final GatewayMetrics metrics;

    public Governor(VirtualKeyRepository keys, UsageRepository usage, Pricing pricing, Clock clock, boolean requireVirtualKey) {
        this(keys, usage, pricing, clock, requireVirtualKey, GatewayMetrics.none());
    }

    /** As above, counting refusals, tokens and cost in {@code metrics}. */
    public Governor(VirtualKeyRepository keys, UsageRepository usage, Pricing pricing, Clock clock, boolean requireVirtualKey,
                    GatewayMetrics metrics) {
        this.metrics = metrics;
        this.keys = keys;
        this.resolver = new KeyResolver(keys, clock);
        this.usage = usage;
        this.pricing = pricing;
        this.clock = clock;
        this.requireVirtualKey = requireVirtualKey;
    }

    /** Who is calling: the key behind the presented value, checked to be usable now. */
    public Mono<Admission> identify(Caller caller) {
        return lookup(caller).doOnError(AccessDeniedException.class, refusal -> metrics.refused(refusal.type()));
    }

    private Mono<Admission> lookup(Caller caller) {
        if (caller.isAnonymous()) {
            return requireVirtualKey ? Mono.error(AccessDeniedException.keyRequired()) : Mono.just(Admission.ANONYMOUS);
        }
        Mono<Optional<VirtualKey>> stored = caller.virtualKey() != null
                ? resolver.resolve(caller.virtualKey())
                : keys.findById(caller.keyId()).map(Optional::of).defaultIfEmpty(Optional.empty());
        return stored.flatMap(found -> found.map(this::admit).orElseGet(() -> Mono.error(AccessDeniedException.keyNotFound())));
    }

    /** The key's admission, or the refusal of a key that is switched off or past its expiry. */
    private Mono<Admission> admit(VirtualKey key) {
        if (!key.active()) {
            return Mono.error(AccessDeniedException.keyBlocked(key.name(), "inactive"));
        }
        if (key.expired(clock.instant())) {
            return Mono.error(AccessDeniedException.keyBlocked(key.name(), "expired since " + key.expiresAt()));
        }
        return Mono.just(new Admission(key));
    }

    /**
     * The id of the caller's key, for deciding what stored work (jobs, files, batches) it may see; empty for
     * an anonymous caller and for a key that is unknown or unusable, which therefore see only anonymous work.
     */
    public Mono<Optional<String>> ownerIdOf(Caller caller) {
        if (caller.isAnonymous()) {
            return Mono.just(Optional.empty());
        }
        // Not identify: a poll for work of an unknown key is not a refusal to count.
        return lookup(caller)
                .map(admission -> Optional.ofNullable(admission.ownerId()))
                .onErrorReturn(Optional.empty());
    }

    /** Whether stored work owned by {@code ownerKeyId} (null: anonymous) is the caller's to see. */
    public Mono<Boolean> owns(Caller caller, String ownerKeyId) {
        if (caller.isAnonymous() && ownerKeyId == null) {
            return Mono.just(true);
        }
        return ownerIdOf(caller).map(owner -> Objects.equals(owner.orElse(null), ownerKeyId));
    }

    /**
     * Whether the admitted caller may send this request to {@code provider/model} now; when its key has a budget,
     * holds the request's estimated cost against it until {@link #record} or {@link #release} ends the reservation.
     *
     * @param body the request body, read for the estimate only when the key has a budget
     */
    public Mono<Reservation> admit(Admission admission, String providerAndModel, byte[] body) {
        return Mono.defer(() -> decide(admission, providerAndModel, body)).doOnError(AccessDeniedException.class, refusal -> metrics.refused(refusal.type()));
    }

    private Mono<Reservation> decide(Admission admission, String providerAndModel, byte[] body) {
        VirtualKey key = admission.key();
        if (key == null) {
            return Mono.just(Reservation.NONE);
        }
        if (!key.allows(providerAndModel)) {
            return Mono.error(AccessDeniedException.modelBlocked(key.name(), providerAndModel));
        }
        if (key.rateLimit() != null) {
            RateLimiter.Refusal refusal = rates.acquire(key.id(), key.rateLimit(), nowNanos());
            if (refusal != null) {
                return Mono.error(AccessDeniedException.rateLimited(key.name(), refusal.bound(), refusal.retryAfter()));
            }
        }
        Budget budget = key.budget();
        if (budget == null) {
            return Mono.just(Reservation.NONE);
        }
        long estimate = estimatedCost(providerAndModel, body);
        return Mono.defer(() -> {
            long settledBefore = ledger.settledSoFar(key.id());
            return usage.find(key.id(), budget.periodStart(clock.instant())).<Reservation>handle((spent, sink) -> {
                Reservation reservation = ledger.reserve(key.id(), spent.costMicros(), settledBefore, estimate, budget.maxMicros());
                if (reservation == null) {
                    sink.error(AccessDeniedException.budgetExceeded(key.name(), budget.maxUsd()));
                } else {
                    sink.next(reservation);
                }
            });
        }).doOnDiscard(Reservation.class, this::release); // made for a caller that had just gone: not held for ever
    }

    /** The prompt at four characters a token, and the output the request allows, or else the model's expected output. */
    private long estimatedCost(String providerAndModel, byte[] body) {
        RequestEstimate estimate = RequestEstimate.of(body);
        long output = estimate.outputLimit() > 0 ? estimate.outputLimit() : pricing.expectedOutputTokens(providerAndModel);
        return pricing.costMicros(providerAndModel, estimate.promptTokens(), output);
    }

    /**
     * Charges one answered request and its tokens to the caller's key (nothing for an anonymous caller), then ends its
     * reservation: the store holds the real cost by then.
     */
    public Mono<Void> record(Admission admission, Reservation reservation, String providerAndModel, TokenCounts tokens) {
        return Mono.defer(() -> {
            long cost = pricing.costMicros(providerAndModel, tokens.input(), tokens.output());
            metrics.usage(providerAndModel, tokens, cost);
            // Ended before the completion goes downstream (not in doFinally, which runs after): the caller's own release of
            // the reservation, on the way out, must find it ended with its cost settled, not end it at zero first.
            return charge(admission, tokens, cost)
                    .doOnTerminate(() -> reservation.end(cost))
                    .doOnCancel(() -> reservation.end(cost));
        });
    }

    /** Gives back the reservation of a request that was not answered; nothing once it was recorded. */
    public void release(Reservation reservation) {
        reservation.end(0);
    }

    private Mono<Void> charge(Admission admission, TokenCounts tokens, long cost) {
        VirtualKey key = admission.key();
        if (key == null) {
            return Mono.empty();
        }
        if (key.rateLimit() != null) {
            rates.consumeTokens(key.id(), key.rateLimit(), tokens.total(), nowNanos());
        }
        Instant period = key.budget() == null ? Instant.EPOCH : key.budget().periodStart(clock.instant());
        return usage.add(key.id(), period, new Usage(1, tokens.input(), tokens.output(), cost))
                // The answer was already paid for upstream: failing the caller now would lose it twice.
                .onErrorResume(error -> {
                    log.error("could not record usage of virtual key '{}': {}", key.name(), error.toString());
                    return Mono.empty();
                });
    }

    /** Forgets cached keys, after a key was created, changed or deleted on this instance. */
    public void keysChanged() {
        resolver.forgetAll();
    }

    private long nowNanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
