package dev.sluice.providers.anthropic;

import dev.sluice.core.sse.SseEvent;

/**
 * Which events end an Anthropic Messages stream: {@code message_stop} when the answer is whole, or an
 * {@code error} event when the provider gave up part way (it sends nothing after one).
 */
final class AnthropicFinalEvents {

    static final String MESSAGE_STOP = "message_stop";
    static final String ERROR = "error";

    private AnthropicFinalEvents() {
    }

    static boolean isFinal(SseEvent event) {
        return MESSAGE_STOP.equals(event.event()) || isError(event);
    }

    static boolean isError(SseEvent event) {
        return ERROR.equals(event.event());
    }
}
