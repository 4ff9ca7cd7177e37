package dev.sluice.core.format;

import dev.sluice.core.format.anthropic.AnthropicFormat;
import dev.sluice.core.format.gemini.GeminiFormat;
import dev.sluice.core.format.openai.OpenAiFormat;
import dev.sluice.core.sse.SseEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Each format counts the generated text of its own stream events, for estimating a stream cut short. */
class GeneratedTextTest {

    @Test
    void countsTheGeneratedTextOfEveryWireFormat() {
        assertThat(OpenAiFormat.OPENAI.generatedChars(SseEvent.data("{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hello\"}}]}")))
                .as("OpenAI chat").isEqualTo(5);
        assertThat(OpenAiFormat.OPENAI.generatedChars(SseEvent.data("{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,"
                + "\"function\":{\"arguments\":\"{\\\"a\\\":1}\"}}]}}]}"))).as("OpenAI tool call").isEqualTo(7);
        assertThat(AnthropicFormat.ANTHROPIC.generatedChars(SseEvent.named("content_block_delta",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}"))).as("Anthropic").isEqualTo(5);
        assertThat(GeminiFormat.GEMINI.generatedChars(SseEvent.data("{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Hello\"}]}}]}")))
                .as("Gemini").isEqualTo(5);
        assertThat(OpenAiFormat.OPENAI.generatedChars(SseEvent.named("response.output_text.delta",
                "{\"type\":\"response.output_text.delta\",\"delta\":\"Hello\"}"))).as("Responses").isEqualTo(5);
    }

    @Test
    void doesNotCountTheTextTheResponsesApiRepeats() {
        assertThat(OpenAiFormat.OPENAI.generatedChars(SseEvent.named("response.output_text.done",
                "{\"type\":\"response.output_text.done\",\"text\":\"Hello\"}"))).isZero();
    }

    @Test
    void countsNothingInEventsThatAreNotJson() {
        assertThat(OpenAiFormat.OPENAI.generatedChars(SseEvent.data("[DONE]"))).isZero();
    }
}
