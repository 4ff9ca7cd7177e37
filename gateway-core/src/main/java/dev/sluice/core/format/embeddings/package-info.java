/**
 * The canonical embeddings model: texts to embed and the vectors that come back, independent of any provider's wire
 * format. Codecs translate OpenAI's and Gemini's embeddings bodies to and from these records.
 */
package dev.sluice.core.format.embeddings;
