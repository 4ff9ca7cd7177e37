package dev.sluice.core.provider;

/** The request and response shapes a provider speaks natively, and a caller's route speaks. */
public enum WireFormat {
    /** OpenAI's: chat completions, completions, responses, embeddings; also every OpenAI-compatible API. */
    OPENAI,
    /** Anthropic's Messages API. */
    ANTHROPIC,
    /** Google's Gemini API: generateContent, streamGenerateContent, embedContent. */
    GEMINI
}
