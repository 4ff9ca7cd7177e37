/**
 * The HTTP routes of the Batch API.
 * Nullness is declared: nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sluice.server.batches;

import org.jspecify.annotations.NullMarked;
