package dev.sluice.core.resilience;

import java.time.Duration;

/**
 * Hears what the engine does about provider failures, for metrics and logs. Called on the thread that saw the
 * failure, often an event loop: implementations must be quick and must not block. Every method does nothing unless
 * overridden; {@link #NONE} is the default.
 */
public interface ResilienceEvents {

    ResilienceEvents NONE = new ResilienceEvents() {
    };

    /**
     * Another attempt at the same provider and model is about to be made.
     *
     * @param attempt the number of the attempt about to be made (2 for the first retry)
     * @param wait    how long it waits first
     * @param cause   why the previous attempt failed
     */
    default void onRetry(String provider, String model, int attempt, Duration wait, Throwable cause) {
    }

    /**
     * The next attempt uses another key of the provider, because the last one was rate-limited or refused.
     *
     * @param fromKey the name of the key that failed
     */
    default void onKeyRotated(String provider, String fromKey, Throwable cause) {
    }

    /**
     * The request moves to a fallback target.
     *
     * @param from  {@code provider/model} that failed
     * @param to    {@code provider/model} tried next
     * @param index the position of {@code to} in the fallback list, from 1
     */
    default void onFallback(String from, String to, int index, Throwable cause) {
    }

    /**
     * A key was taken out of rotation.
     *
     * @param key     its name, or {@code ""} for a provider without keys
     * @param openFor how long it stays out before a probe
     */
    default void onCircuitOpened(String provider, String key, Duration openFor, Throwable cause) {
    }
}
