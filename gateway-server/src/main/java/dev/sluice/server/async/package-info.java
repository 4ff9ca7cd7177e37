/**
 * The HTTP routes of async jobs and of OpenAI's background responses.
 * Nullness is declared: nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sluice.server.async;

import org.jspecify.annotations.NullMarked;
