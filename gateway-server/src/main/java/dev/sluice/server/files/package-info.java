/**
 * The HTTP routes of the Files API, and the multipart form reader they upload with.
 * Nullness is declared: nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sluice.server.files;

import org.jspecify.annotations.NullMarked;
