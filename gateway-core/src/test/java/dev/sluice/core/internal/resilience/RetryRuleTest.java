package dev.sluice.core.internal.resilience;

import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.error.UpstreamBusyException;
import dev.sluice.core.error.UpstreamProtocolException;
import dev.sluice.core.error.UpstreamStatusException;
import dev.sluice.core.error.UpstreamTimeoutException;
import dev.sluice.core.error.UpstreamUnavailableException;
import dev.sluice.core.internal.governance.AccessDeniedException;
import dev.sluice.core.resilience.KeysCoolingDownException;
import dev.sluice.core.resilience.RetryPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;

/** The one decision live calls and batch lines share: whether a failure is retried, and after how long. */
class RetryRuleTest {

    private static final Duration PLENTY = Duration.ofHours(1);
    /** The first retries of the default policy wait what a batch line's do: 0.5 s, 1 s, 2 s, 4 s (before jitter). */
    private static final RetryPolicy LIVE = RetryPolicy.DEFAULT;

    /** A generator whose every {@code nextDouble()} is {@code value}. */
    private static RandomGenerator fixed(double value) {
        long bits = (long) (value * 0x1p53) << 11;
        return () -> bits;
    }

    private static UpstreamStatusException status(int code) {
        return new UpstreamStatusException("p", code, new byte[0], null);
    }

    private static final List<Throwable> WAITING_CURES = List.of(status(429), status(502), status(503), status(504), status(529),
            new UpstreamBusyException("p", "no free connection", null),
            new KeysCoolingDownException("p", "m", Duration.ofSeconds(3)),
            AccessDeniedException.rateLimited("k", "request", Duration.ofSeconds(2)));
    private static final List<Throwable> MAY_GO_BETTER_AT_ONCE = List.of(status(408), status(409), status(500),
            new UpstreamUnavailableException("p", "refused", null), new UpstreamTimeoutException("p", "silent"));
    private static final List<Throwable> NEVER = List.of(status(400), status(401), status(404), status(422),
            new UpstreamProtocolException("p", "not JSON"), new InvalidRequestException("bad", null),
            AccessDeniedException.budgetExceeded("k", 1), new IllegalStateException("a bug"));

    @Test
    void aLiveCallAndABatchLineWaitAlikeForWhatWaitingCures() {
        RandomGenerator random = fixed(0.5);
        RetryRule live = RetryRule.forCalls(LIVE, random);
        RetryRule line = RetryRule.forBatchLines(random);

        for (Throwable failure : WAITING_CURES) {
            for (int attempts = 1; attempts <= 2; attempts++) {
                assertThat(line.retryAfter(failure, attempts, PLENTY)).as("%s after %d", failure, attempts)
                        .isPresent()
                        .isEqualTo(live.retryAfter(failure, attempts, PLENTY));
            }
        }
    }

    @Test
    void neitherALiveCallNorABatchLineRetriesWhatWouldFailAgain() {
        RetryRule live = RetryRule.forCalls(LIVE, fixed(0));
        RetryRule line = RetryRule.forBatchLines(fixed(0));

        for (Throwable failure : NEVER) {
            assertThat(live.retryAfter(failure, 1, PLENTY)).as("%s", failure).isEmpty();
            assertThat(line.retryAfter(failure, 1, PLENTY)).as("%s", failure).isEmpty();
        }
    }

    @Test
    void onlyALiveCallRetriesAtOnceWhatALinesEngineRequestRetriedAlready() {
        RetryRule live = RetryRule.forCalls(LIVE, fixed(0));
        RetryRule line = RetryRule.forBatchLines(fixed(0));

        for (Throwable failure : MAY_GO_BETTER_AT_ONCE) {
            assertThat(live.retryAfter(failure, 1, PLENTY)).as("%s", failure).contains(Duration.ofMillis(500));
            assertThat(line.retryAfter(failure, 1, PLENTY)).as("%s", failure).isEmpty();
        }
    }

    @Test
    void theJitterComesFromTheRandomnessPassedIn() {
        UpstreamStatusException overloaded = status(503);

        assertThat(RetryRule.forCalls(LIVE, fixed(0)).retryAfter(overloaded, 1, PLENTY)).contains(Duration.ofMillis(500));
        assertThat(RetryRule.forCalls(LIVE, fixed(0.5)).retryAfter(overloaded, 1, PLENTY)).contains(Duration.ofMillis(437).plusNanos(500_000));
        assertThat(RetryRule.forCalls(new RetryPolicy(10, Duration.ofMillis(500), Duration.ofSeconds(8)), fixed(0.5))
                .retryAfter(overloaded, 3, PLENTY)).contains(Duration.ofMillis(1750));
        assertThat(RetryRule.forBatchLines(fixed(0)).retryAfter(overloaded, 20, PLENTY)).contains(Duration.ofSeconds(30));
    }

    @Test
    void honoursRetryAfterOverTheBackoff() {
        UpstreamStatusException limited = new UpstreamStatusException("p", 429, new byte[0], Duration.ofSeconds(7));

        assertThat(RetryRule.forCalls(LIVE, fixed(0.9)).retryAfter(limited, 1, PLENTY)).contains(Duration.ofSeconds(7));
        assertThat(RetryRule.forBatchLines(fixed(0.9)).retryAfter(limited, 1, PLENTY)).contains(Duration.ofSeconds(7));
    }

    @Test
    void aWaitThatWouldNotEndBeforeTheDeadlineEndsTheRetries() {
        UpstreamStatusException limited = new UpstreamStatusException("p", 429, new byte[0], Duration.ofSeconds(7));

        assertThat(RetryRule.forCalls(LIVE, fixed(0)).retryAfter(limited, 1, Duration.ofSeconds(7))).isEmpty();
        assertThat(RetryRule.forBatchLines(fixed(0)).retryAfter(limited, 1, Duration.ofSeconds(7))).isEmpty();
        assertThat(RetryRule.forBatchLines(fixed(0)).retryAfter(limited, 1, Duration.ofSeconds(8))).contains(Duration.ofSeconds(7));
    }

    @Test
    void aLiveCallStopsAfterItsPolicysAttempts() {
        RetryRule live = RetryRule.forCalls(new RetryPolicy(3, Duration.ofMillis(500), Duration.ofSeconds(8)), fixed(0));

        assertThat(live.retryAfter(status(503), 2, PLENTY)).contains(Duration.ofSeconds(1));
        assertThat(live.retryAfter(status(503), 3, PLENTY)).isEmpty();
        assertThat(RetryRule.forCalls(RetryPolicy.NONE, fixed(0)).retryAfter(status(503), 1, PLENTY)).isEmpty();
    }
}
