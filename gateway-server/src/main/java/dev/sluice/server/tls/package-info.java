/**
 * TLS for the server, with certificates reloaded when their files change.
 * Nullness is declared: nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sluice.server.tls;

import org.jspecify.annotations.NullMarked;
