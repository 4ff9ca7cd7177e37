package dev.sluice.providers.anthropic;

import dev.sluice.core.sse.SseEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AnthropicFinalEventsTest {

    @Test
    void endsOnMessageStopAndOnAnErrorEvent() {
        assertThat(AnthropicFinalEvents.isFinal(SseEvent.named("message_stop", "{\"type\":\"message_stop\"}"))).isTrue();
        assertThat(AnthropicFinalEvents.isFinal(SseEvent.named("error",
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"))).isTrue();
    }

    @Test
    void doesNotEndOnAnyOtherEvent() {
        for (String name : new String[] {"message_start", "content_block_start", "content_block_delta", "content_block_stop",
                "message_delta", "ping"}) {
            assertThat(AnthropicFinalEvents.isFinal(SseEvent.named(name, "{\"type\":\"" + name + "\"}"))).as(name).isFalse();
        }
        assertThat(AnthropicFinalEvents.isFinal(SseEvent.data("{\"type\":\"message_stop\"}"))).isFalse();
        assertThat(AnthropicFinalEvents.isError(SseEvent.named("message_stop", "{}"))).isFalse();
    }
}
