/**
 * The server's configuration: YAML read, validated and turned into immutable settings.
 * Nullness is declared: nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sluice.server.config;

import org.jspecify.annotations.NullMarked;
