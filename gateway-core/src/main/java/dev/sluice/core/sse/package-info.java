/**
 * Server-sent events: the event record and a decoder from a stream of bytes.
 * Nullness is declared: nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sluice.core.sse;

import org.jspecify.annotations.NullMarked;
