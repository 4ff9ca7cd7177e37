package dev.sluice.core.internal.resilience;

import dev.sluice.core.error.UpstreamTimeoutException;
import dev.sluice.core.internal.routing.Route;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.ProviderKey;
import dev.sluice.core.resilience.ResilienceEvents;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * The attempts of one request at one target (a provider and model): which key each uses, what each failure means
 * for the key and for the next attempt, and the target's deadline ({@code request_timeout_seconds} from the first
 * attempt on). One per request and target, used by one subscription at a time, so it needs no locking: Reactor
 * orders the signals of a subscription, and a retry only starts after the failed attempt has ended.
 */
final class TargetTries {

    private final Route route;
    private final int fallbackIndex;
    private final KeyPool pool;
    private final ProviderConfig config;
    private final Scheduler timer;
    private final ResilienceEvents events;
    private final RandomGenerator random;
    private final RetryRule retries;
    private final long deadlineNanos;
    /** Keys this request was rate-limited or refused with: the next attempt prefers another. */
    private final Set<String> avoid = new HashSet<>();

    private int attempts;
    private ProviderKey key;
    /** Whether the last attempt could not even start: no call was made, so there is nothing to try again. */
    private boolean refused;
    /** Whether an item of the current attempt went on downstream: after that, nothing is tried again. */
    private volatile boolean emitted;

    TargetTries(Route route, int fallbackIndex, KeyPool pool, Scheduler timer, ResilienceEvents events, RandomGenerator random) {
        this.route = route;
        this.fallbackIndex = fallbackIndex;
        this.pool = pool;
        this.config = route.provider().config();
        this.timer = timer;
        this.events = events;
        this.random = random;
        this.retries = RetryRule.forCalls(config.retry(), random);
        this.deadlineNanos = now() + config.requestTimeout().toNanos();
    }

    /**
     * Starts the next attempt by claiming a key for it; fails, without calling, when the target's time is up already
     * ({@link UpstreamTimeoutException}) or no key may take it ({@link KeyClaim.Refused}).
     */
    Mono<Attempt> begin() {
        if (remaining().isZero()) {
            refused = true;
            return Mono.error(requestTimedOut());
        }
        return switch (pool.acquire(route.model(), avoid, now(), random)) {
            case KeyClaim.Granted granted -> {
                refused = false;
                key = granted.key();
                attempts++;
                yield Mono.just(new Attempt(route, key, fallbackIndex, attempts));
            }
            case KeyClaim.Refused refusal -> {
                refused = true;
                yield Mono.error(refusal.reason());
            }
        };
    }

    /** Time left before the target's deadline; zero when it has passed. */
    Duration remaining() {
        long left = deadlineNanos - now();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    /** How long the stream may stay silent now: its idle timeout, or less when the deadline comes first. */
    Duration idleAllowance() {
        Duration remaining = remaining();
        return remaining.compareTo(config.streamIdleTimeout()) < 0 ? remaining : config.streamIdleTimeout();
    }

    /** A timer ran out while the attempt waited: the whole request's when its deadline passed, else a stream's silence. */
    UpstreamTimeoutException timedOut() {
        return remaining().isZero() ? requestTimedOut() : new UpstreamTimeoutException(provider(),
                "stream from provider '" + provider() + "' was silent for " + seconds(config.streamIdleTimeout())
                        + " (stream_idle_timeout_seconds)");
    }

    UpstreamTimeoutException requestTimedOut() {
        return new UpstreamTimeoutException(provider(), "provider '" + provider() + "' did not finish within "
                + seconds(config.requestTimeout()) + " (request_timeout_seconds)");
    }

    /** The first item of the attempt is about to go on: the key works, and this attempt is the one. */
    void firstItem() {
        emitted = true;
        pool.succeeded(key);
    }

    boolean emitted() {
        return emitted;
    }

    void succeeded() {
        pool.succeeded(key);
    }

    /** The attempt failed: the key's health learns of it, and a key the provider limited or refused is avoided. */
    void failed(Throwable failure) {
        if (RetryRules.rotatesKey(failure) && key != null) {
            avoid.add(key.name());
        }
        Duration opened = pool.failed(key, failure, now());
        if (opened != null) {
            events.onCircuitOpened(provider(), key == null ? "" : key.name(), opened, failure);
        }
    }

    void abandoned() {
        pool.abandoned(key, now());
    }

    /**
     * What follows a failed attempt: another key at once, a retry after the wait {@link RetryRule} decides, or the
     * failure itself when no retry is allowed (the stream had started, no call could be made, attempts are used up, the
     * failure is not worth another try, or the wait would not end before the deadline, when the provider's
     * {@code Retry-After} is passed on).
     */
    Mono<Long> next(Throwable failure) {
        // A refusal before any call (every key cooling down) is routing's to answer: fall back at once, not wait here.
        if (emitted || refused) {
            return Mono.error(failure);
        }
        if (attempts < config.retry().maxAttempts() && RetryRules.rotatesKey(failure) && key != null
                && pool.hasOther(route.model(), avoid, now())) {
            events.onKeyRotated(provider(), key.name(), failure);
            events.onRetry(provider(), route.model(), attempts + 1, Duration.ZERO, failure);
            return Mono.just(0L);
        }
        return retries.retryAfter(failure, attempts, remaining())
                .map(wait -> {
                    events.onRetry(provider(), route.model(), attempts + 1, wait, failure);
                    return wait.isZero() ? Mono.just(0L) : Mono.delay(wait, timer);
                })
                .orElseGet(() -> Mono.error(failure));
    }

    String target() {
        return provider() + "/" + route.model();
    }

    private String provider() {
        return route.provider().name();
    }

    private long now() {
        return timer.now(TimeUnit.NANOSECONDS);
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
