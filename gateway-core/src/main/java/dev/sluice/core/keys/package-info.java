/**
 * Virtual keys: who may call, which models, with which budget and rate limits.
 * Nullness is declared: nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sluice.core.keys;

import org.jspecify.annotations.NullMarked;
