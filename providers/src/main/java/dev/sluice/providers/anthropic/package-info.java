/**
 * The adapter for Anthropic's Messages API, found by {@code ServiceLoader}.
 * Nullness is declared: nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sluice.providers.anthropic;

import org.jspecify.annotations.NullMarked;
