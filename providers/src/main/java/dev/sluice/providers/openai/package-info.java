/**
 * The adapter for OpenAI and every OpenAI-compatible API, found by {@code ServiceLoader}.
 * Nullness is declared: nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sluice.providers.openai;

import org.jspecify.annotations.NullMarked;
