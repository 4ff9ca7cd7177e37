/**
 * Translation between wire formats through the canonical chat model in {@code translate.chat}: each format has a
 * codec that decodes its requests, responses and stream events into canonical records and encodes them back.
 * Used only when the caller's format differs from the provider's; same-format traffic takes the fast path.
 */
package dev.sluice.core.internal.translate;
