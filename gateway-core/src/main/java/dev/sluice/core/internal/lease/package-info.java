/**
 * Work claimed with a lease (owner and expiry), so that several instances split it and a crashed one's is taken over.
 * Nullness is declared: nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sluice.core.internal.lease;

import org.jspecify.annotations.NullMarked;
