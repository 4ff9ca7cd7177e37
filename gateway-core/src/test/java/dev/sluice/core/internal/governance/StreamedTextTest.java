package dev.sluice.core.internal.governance;

import dev.sluice.core.sse.SseEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StreamedTextTest {

    @Test
    void countsTheGeneratedTextOfEveryWireFormat() {
        assertThat(StreamedText.charsOf(SseEvent.data("{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hello\"}}]}")))
                .as("OpenAI chat").isEqualTo(5);
        assertThat(StreamedText.charsOf(SseEvent.data("{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,"
                + "\"function\":{\"arguments\":\"{\\\"a\\\":1}\"}}]}}]}"))).as("OpenAI tool call").isEqualTo(7);
        assertThat(StreamedText.charsOf(SseEvent.named("content_block_delta",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}"))).as("Anthropic").isEqualTo(5);
        assertThat(StreamedText.charsOf(SseEvent.data("{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Hello\"}]}}]}")))
                .as("Gemini").isEqualTo(5);
        assertThat(StreamedText.charsOf(SseEvent.named("response.output_text.delta",
                "{\"type\":\"response.output_text.delta\",\"delta\":\"Hello\"}"))).as("Responses").isEqualTo(5);
    }

    @Test
    void doesNotCountTheTextTheResponsesApiRepeats() {
        assertThat(StreamedText.charsOf(SseEvent.named("response.output_text.done",
                "{\"type\":\"response.output_text.done\",\"text\":\"Hello\"}"))).isZero();
    }

    @Test
    void countsNothingInEventsThatAreNotJson() {
        assertThat(StreamedText.charsOf(SseEvent.data("[DONE]"))).isZero();
    }
}
