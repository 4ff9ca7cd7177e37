package dev.sluice.core.provider;

import reactor.core.scheduler.Scheduler;

import java.util.Objects;

/**
 * What the engine lends every adapter it creates, so that adapters hold no global state.
 *
 * @param timer the scheduler for delays and timeouts
 */
public record ProviderContext(Scheduler timer) {

    public ProviderContext {
        Objects.requireNonNull(timer, "timer");
    }
}
