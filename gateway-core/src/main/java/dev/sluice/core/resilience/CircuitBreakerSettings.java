package dev.sluice.core.resilience;

import java.time.Duration;

/**
 * When one provider key is taken out of rotation: after {@code failureThreshold} failures in a row (5xx, 408,
 * timeouts, unreachable, garbled answers) for {@code openFor}, and at once after a 401 or 403 for
 * {@code authOpenFor}. Once the time is up one call probes the key: success puts it back, failure opens it again.
 *
 * @param failureThreshold consecutive failures that open a key's circuit, {@code >= 1}
 * @param openFor          how long a failing key is skipped
 * @param authOpenFor      how long a key the provider refused (401, 403) is skipped
 */
public record CircuitBreakerSettings(int failureThreshold, Duration openFor, Duration authOpenFor) {

    public static final CircuitBreakerSettings DEFAULT = new CircuitBreakerSettings(5, Duration.ofSeconds(30), Duration.ofMinutes(5));

    public CircuitBreakerSettings {
        if (failureThreshold < 1) {
            throw new IllegalArgumentException("circuit_breaker.failure_threshold: " + failureThreshold + " (expected: >= 1)");
        }
        if (openFor == null || openFor.isNegative() || openFor.isZero()) {
            throw new IllegalArgumentException("circuit_breaker.open_seconds: " + openFor + " (expected: > 0)");
        }
        if (authOpenFor == null || authOpenFor.isNegative() || authOpenFor.isZero()) {
            throw new IllegalArgumentException("circuit_breaker.auth_open_seconds: " + authOpenFor + " (expected: > 0)");
        }
    }
}
