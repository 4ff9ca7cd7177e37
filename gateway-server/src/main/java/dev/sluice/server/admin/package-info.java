/**
 * The admin API for virtual keys.
 * Nullness is declared: nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sluice.server.admin;

import org.jspecify.annotations.NullMarked;
