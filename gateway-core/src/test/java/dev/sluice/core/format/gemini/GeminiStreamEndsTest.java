package dev.sluice.core.format.gemini;

import dev.sluice.core.format.Operation;
import dev.sluice.core.sse.SseEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GeminiStreamEndsTest {

    @Test
    void endsOnAnEventWhoseCandidateCarriesAFinishReason() {
        assertThat(isFinal("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"\"}],\"role\":\"model\"},\"finishReason\":\"STOP\"}]}")).isTrue();
        assertThat(isFinal("{\"candidates\":[{\"content\":{\"parts\":[]},\"finishReason\":\"MAX_TOKENS\",\"index\":0}],\"usageMetadata\":{}}")).isTrue();
        assertThat(isFinal("{\"candidates\":[{\"content\":{}},{\"finishReason\":\"SAFETY\",\"index\":1}]}")).isTrue();
    }

    @Test
    void doesNotEndOnTextDeltas() {
        assertThat(isFinal("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"The\"}],\"role\":\"model\"}}],\"usageMetadata\":{\"promptTokenCount\":11}}")).isFalse();
        assertThat(isFinal("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"no\"}]},\"finishReason\":null}]}")).isFalse();
    }

    @Test
    void doesNotEndOnTheWordsInsideGeneratedText() {
        assertThat(isFinal("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"{\\\"finishReason\\\": \\\"STOP\\\"}\"}]}}]}")).isFalse();
        assertThat(isFinal("{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"f\",\"args\":{\"finishReason\":\"STOP\"}}}]}}]}")).isFalse();
    }

    @Test
    void endsWhenThePromptItselfWasBlocked() {
        assertThat(isFinal("{\"promptFeedback\":{\"blockReason\":\"SAFETY\",\"safetyRatings\":[]},\"usageMetadata\":{\"promptTokenCount\":8}}")).isTrue();
        assertThat(isFinal("{\"promptFeedback\":{\"safetyRatings\":[]},\"candidates\":[{\"content\":{}}],\"x\":\"blockReason\"}")).isFalse();
    }

    @Test
    void doesNotEndOnWhatIsNotAnObject() {
        assertThat(isFinal("[DONE]")).isFalse();
        assertThat(isFinal("\"finishReason\"")).isFalse();
        assertThat(isFinal("{\"candidates\":[{\"finishReason\"")).isFalse();
    }

    private static boolean isFinal(String data) {
        return GeminiFormat.GEMINI.endsStream(Operation.CHAT_COMPLETIONS, SseEvent.data(data));
    }
}
