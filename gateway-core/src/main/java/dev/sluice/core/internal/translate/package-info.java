/**
 * How a caller's request reaches a provider: the fast path when both speak one wire format, else a translation
 * through the canonical model with the two formats' codecs ({@code dev.sluice.core.format}).
 */
package dev.sluice.core.internal.translate;
