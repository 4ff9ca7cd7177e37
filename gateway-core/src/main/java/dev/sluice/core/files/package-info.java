/**
 * The Files API: stored files, read and written as streams of chunks.
 * Nullness is declared: nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sluice.core.files;

import org.jspecify.annotations.NullMarked;
