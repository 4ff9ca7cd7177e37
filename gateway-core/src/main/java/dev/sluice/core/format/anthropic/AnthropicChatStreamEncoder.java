package dev.sluice.core.format.anthropic;

import dev.sluice.core.format.ChatCodec;
import dev.sluice.core.format.chat.ChatEvent;
import dev.sluice.core.format.json.Json;
import dev.sluice.core.sse.SseEvent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.sluice.core.format.json.Json.object;

/**
 * Turns canonical events into Messages stream events: each content part becomes a block opened on its first
 * event and closed when the next opens or the answer finishes. Canonical streams learn usage only at the end, so
 * {@code message_start} reports zero tokens and {@code message_delta} carries input, cached and output tokens.
 */
public final class AnthropicChatStreamEncoder implements ChatCodec.EventEncoder {

    private final Map<Integer, Integer> blocks = new HashMap<>();
    private Integer open;

    AnthropicChatStreamEncoder() {
    }

    /** The named events for one canonical event, in order. */
    @Override
    public List<SseEvent> encode(ChatEvent event) {
        List<SseEvent> out = new ArrayList<>();
        switch (event) {
            case ChatEvent.Started started -> {
                Map<String, Object> message = object("id", started.id(), "type", "message", "role", "assistant",
                        "model", started.model(), "content", List.of());
                message.put("stop_reason", null);
                message.put("stop_sequence", null);
                message.put("usage", object("input_tokens", 0, "output_tokens", 0));
                out.add(named("message_start", object("type", "message_start", "message", message)));
            }
            case ChatEvent.TextDelta text -> {
                int index = open(text.index(), object("type", "text", "text", ""), out);
                out.add(named("content_block_delta", object("type", "content_block_delta", "index", index,
                        "delta", object("type", "text_delta", "text", text.text()))));
            }
            case ChatEvent.ToolCallStarted call -> open(call.index(),
                    object("type", "tool_use", "id", call.id(), "name", call.name(), "input", object()), out);
            case ChatEvent.ToolCallArguments arguments -> {
                int index = open(arguments.index(), null, out);
                out.add(named("content_block_delta", object("type", "content_block_delta", "index", index,
                        "delta", object("type", "input_json_delta", "partial_json", arguments.jsonFragment()))));
            }
            case ChatEvent.Finished finished -> {
                close(out);
                Map<String, Object> delta = object("stop_reason", AnthropicChatAnswers.stopReason(finished.reason()));
                delta.put("stop_sequence", null);
                out.add(named("message_delta", object("type", "message_delta", "delta", delta,
                        "usage", AnthropicChatAnswers.usage(finished.usage()))));
                out.add(named("message_stop", object("type", "message_stop")));
            }
        }
        return out;
    }

    /** The block index of canonical part {@code part}, opening its block (closing the last) on first sight. */
    private int open(int part, Map<String, Object> contentBlock, List<SseEvent> out) {
        Integer index = blocks.get(part);
        if (index != null) {
            return index;
        }
        close(out);
        index = blocks.size();
        blocks.put(part, index);
        open = index;
        out.add(named("content_block_start", object("type", "content_block_start", "index", index,
                "content_block", contentBlock != null ? contentBlock
                        : object("type", "tool_use", "id", null, "name", "", "input", object()))));
        return index;
    }

    private void close(List<SseEvent> out) {
        if (open != null) {
            out.add(named("content_block_stop", object("type", "content_block_stop", "index", open)));
            open = null;
        }
    }

    private static SseEvent named(String type, Map<String, Object> json) {
        return SseEvent.named(type, Json.write(json));
    }
}
