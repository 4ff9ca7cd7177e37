/**
 * The adapter for Google's Gemini API, found by {@code ServiceLoader}.
 * Nullness is declared: nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sluice.providers.gemini;

import org.jspecify.annotations.NullMarked;
