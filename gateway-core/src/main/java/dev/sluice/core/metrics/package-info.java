/**
 * Micrometer meters of the gateway, recorded by decorators around provider calls and repositories.
 * Nullness is declared: nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sluice.core.metrics;

import org.jspecify.annotations.NullMarked;
