/**
 * Governance of callers: key resolution, allowed models, rate limits and budget reservations.
 * Nullness is declared: nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sluice.core.internal.governance;

import org.jspecify.annotations.NullMarked;
