/**
 * Random identifiers that cannot be guessed.
 * Nullness is declared: nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sluice.core.internal.ids;

import org.jspecify.annotations.NullMarked;
