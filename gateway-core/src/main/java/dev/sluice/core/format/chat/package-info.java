/**
 * The canonical chat model: what a chat request, response and stream mean, independent of any provider's
 * wire format. Codecs translate each wire format to and from these records.
 */
package dev.sluice.core.format.chat;
