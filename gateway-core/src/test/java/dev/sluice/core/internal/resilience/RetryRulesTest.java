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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryRulesTest {

    private static UpstreamStatusException status(int code) {
        return new UpstreamStatusException("p", code, new byte[0], null);
    }

    @Test
    void retriesTransientStatusesConnectionErrorsAndTimeouts() {
        for (int code : new int[] {408, 409, 429, 500, 502, 503, 504, 529}) {
            assertThat(RetryRules.retryable(status(code))).as("status %d", code).isTrue();
        }
        assertThat(RetryRules.retryable(new UpstreamUnavailableException("p", "refused", null))).isTrue();
        assertThat(RetryRules.retryable(new UpstreamTimeoutException("p", "silent"))).isTrue();
    }

    @Test
    void neverRetriesBadRequestsGarbledAnswersOrGatewayDecisions() {
        for (int code : new int[] {400, 401, 403, 404, 413, 422}) {
            assertThat(RetryRules.retryable(status(code))).as("status %d", code).isFalse();
        }
        assertThat(RetryRules.retryable(new UpstreamProtocolException("p", "not JSON"))).isFalse();
        assertThat(RetryRules.retryable(new InvalidRequestException("bad", null))).isFalse();
    }

    @Test
    void putsWhatWaitingCuresApartFromWhatMayGoBetterAtOnce() {
        for (int code : new int[] {429, 502, 503, 504, 529}) {
            assertThat(RetryRules.kind(status(code))).as("status %d", code).isEqualTo(FailureKind.NOT_NOW);
        }
        for (int code : new int[] {408, 409, 500}) {
            assertThat(RetryRules.kind(status(code))).as("status %d", code).isEqualTo(FailureKind.TRY_AGAIN);
        }
        assertThat(RetryRules.kind(new UpstreamUnavailableException("p", "refused", null))).isEqualTo(FailureKind.TRY_AGAIN);
        assertThat(RetryRules.kind(new UpstreamTimeoutException("p", "silent"))).isEqualTo(FailureKind.TRY_AGAIN);
        assertThat(RetryRules.kind(new UpstreamBusyException("p", "no free connection", null))).isEqualTo(FailureKind.NOT_NOW);
        assertThat(RetryRules.kind(new KeysCoolingDownException("p", "m", Duration.ofSeconds(3)))).isEqualTo(FailureKind.NOT_NOW);
        assertThat(RetryRules.kind(AccessDeniedException.rateLimited("k", "request", Duration.ofSeconds(2)))).isEqualTo(FailureKind.NOT_NOW);
        assertThat(RetryRules.kind(AccessDeniedException.budgetExceeded("k", 1))).isEqualTo(FailureKind.FINAL);
        assertThat(RetryRules.kind(new IllegalStateException("a bug"))).isEqualTo(FailureKind.FINAL);
    }

    @Test
    void rotatesKeysOnRateLimitsAndRefusals() {
        assertThat(RetryRules.rotatesKey(status(429))).isTrue();
        assertThat(RetryRules.rotatesKey(status(401))).isTrue();
        assertThat(RetryRules.rotatesKey(status(403))).isTrue();
        assertThat(RetryRules.rotatesKey(status(500))).isFalse();
        assertThat(RetryRules.refusesKey(status(429))).isFalse();
        assertThat(RetryRules.refusesKey(status(401))).isTrue();
    }

    @Test
    void countsServerTroubleAgainstTheKeyButNotRateLimits() {
        assertThat(RetryRules.unhealthy(status(503))).isTrue();
        assertThat(RetryRules.unhealthy(new UpstreamProtocolException("p", "cut"))).isTrue();
        assertThat(RetryRules.unhealthy(status(429))).isFalse();
        assertThat(RetryRules.unhealthy(status(400))).isFalse();
    }

    @Test
    void backsOffExponentiallyWithUpToAQuarterOfJitterAndACap() {
        RetryPolicy policy = new RetryPolicy(10, Duration.ofMillis(500), Duration.ofSeconds(8));

        assertThat(RetryRules.backoff(policy, 0, 0)).isEqualTo(Duration.ofMillis(500));
        assertThat(RetryRules.backoff(policy, 1, 0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(RetryRules.backoff(policy, 2, 0.5)).isEqualTo(Duration.ofMillis(1750));
        assertThat(RetryRules.backoff(policy, 5, 0)).isEqualTo(Duration.ofSeconds(8));
        assertThat(RetryRules.backoff(policy, 200, 0.999)).isBetween(Duration.ofSeconds(6), Duration.ofSeconds(8));
    }

    @Test
    void aPolicyNamesItsBadValue() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO))
                .hasMessage("retry.max_attempts: 0 (expected: >= 1; 1 means no retry)");
        assertThatThrownBy(() -> new RetryPolicy(2, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessage("retry.max_backoff_ms: 1000 (expected: >= initial_backoff_ms, 2000)");
    }
}
