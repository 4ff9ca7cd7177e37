/**
 * The gateway server: its {@code main()} and the Reactor Netty server it starts.
 * Nullness is declared: nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sluice.server;

import org.jspecify.annotations.NullMarked;
