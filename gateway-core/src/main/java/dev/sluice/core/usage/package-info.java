/**
 * Token usage, its price, and the repository that records spend.
 * Nullness is declared: nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sluice.core.usage;

import org.jspecify.annotations.NullMarked;
