package dev.sluice.core.format.anthropic;

import dev.sluice.core.format.Operation;
import dev.sluice.core.sse.SseEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AnthropicStreamEndsTest {

    @Test
    void endsOnMessageStopAndOnAnErrorEvent() {
        assertThat(AnthropicFormat.ANTHROPIC.endsStream(Operation.CHAT_COMPLETIONS, SseEvent.named("message_stop", "{\"type\":\"message_stop\"}"))).isTrue();
        assertThat(AnthropicFormat.ANTHROPIC.endsStream(Operation.CHAT_COMPLETIONS, SseEvent.named("error",
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"))).isTrue();
    }

    @Test
    void doesNotEndOnAnyOtherEvent() {
        for (String name : new String[] {"message_start", "content_block_start", "content_block_delta", "content_block_stop",
                "message_delta", "ping"}) {
            assertThat(AnthropicFormat.ANTHROPIC.endsStream(Operation.CHAT_COMPLETIONS, SseEvent.named(name, "{\"type\":\"" + name + "\"}"))).as(name).isFalse();
        }
        assertThat(AnthropicFormat.ANTHROPIC.endsStream(Operation.CHAT_COMPLETIONS, SseEvent.data("{\"type\":\"message_stop\"}"))).isFalse();
        assertThat(AnthropicFormat.ANTHROPIC.closesStream(SseEvent.named("message_stop", "{}"))).isFalse();
    }
}
