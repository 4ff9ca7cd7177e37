/**
 * The R2DBC repositories, on H2 or PostgreSQL, and their schema migrations.
 * Nullness is declared: nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sluice.core.store.r2dbc;

import org.jspecify.annotations.NullMarked;
