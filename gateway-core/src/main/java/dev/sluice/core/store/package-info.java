/**
 * The store that holds the gateway's state, and the choice of none.
 * Nullness is declared: nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sluice.core.store;

import org.jspecify.annotations.NullMarked;
