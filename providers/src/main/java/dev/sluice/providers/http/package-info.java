/**
 * Transport shared by the provider adapters: the long-lived HTTP client, request sending, stream reading and upstream error mapping.
 * Nullness is declared: nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sluice.providers.http;

import org.jspecify.annotations.NullMarked;
