/**
 * The built-in {@code mock} provider: canned answers and streams without a network, for demos, tests and benchmarks.
 * Nullness is declared: nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sluice.providers.mock;

import org.jspecify.annotations.NullMarked;
