package dev.sluice.core.format.openai;

import dev.sluice.core.format.Operation;
import dev.sluice.core.sse.SseEvent;
import org.junit.jupiter.api.Test;

import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

class OpenAiStreamEndsTest {

    private final Predicate<SseEvent> chat = event -> OpenAiFormat.OPENAI.endsStream(Operation.CHAT_COMPLETIONS, event);
    private final Predicate<SseEvent> responses = event -> OpenAiFormat.OPENAI.endsStream(Operation.RESPONSES, event);

    @Test
    void endsChatAndCompletionsOnDone() {
        assertThat(chat.test(SseEvent.data("[DONE]"))).isTrue();
        assertThat(chat.test(SseEvent.data("{\"choices\":[]}"))).isFalse();
        assertThat(OpenAiFormat.OPENAI.endsStream(Operation.COMPLETIONS, SseEvent.data("[DONE]"))).isTrue();
    }

    @Test
    void endsResponsesOnTerminalEventNames() {
        assertThat(responses.test(SseEvent.named("response.completed", "{}"))).isTrue();
        assertThat(responses.test(SseEvent.named("response.incomplete", "{}"))).isTrue();
        assertThat(responses.test(SseEvent.named("response.failed", "{}"))).isTrue();
        assertThat(responses.test(SseEvent.named("error", "{}"))).isTrue();
        assertThat(responses.test(SseEvent.named("response.output_text.delta", "{\"type\":\"response.completed\"}"))).isFalse();
    }

    @Test
    void endsUnnamedResponsesEventsOnTheirTopLevelType() {
        assertThat(responses.test(SseEvent.data("{\"sequence_number\":9,\"type\":\"response.completed\",\"response\":{}}"))).isTrue();
        assertThat(responses.test(SseEvent.data("{\"item\":{\"type\":\"error\"},\"type\":\"response.output_item.done\"}"))).isFalse();
        assertThat(responses.test(SseEvent.data("[DONE]"))).isFalse();
    }
}
