package dev.sluice.testformat;

import dev.sluice.core.format.ChatCodec;
import dev.sluice.core.format.RequestBody;
import dev.sluice.core.format.UnreadableAnswerException;
import dev.sluice.core.format.chat.ChatEvent;
import dev.sluice.core.format.chat.ChatRequest;
import dev.sluice.core.format.chat.ChatResponse;
import dev.sluice.core.format.chat.Message;
import dev.sluice.core.format.chat.Part;
import dev.sluice.core.format.chat.Role;
import dev.sluice.core.format.chat.StopReason;
import dev.sluice.core.format.chat.Usage;
import dev.sluice.core.format.json.Json;
import dev.sluice.core.sse.SseEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The plain format's chats to and from the canonical model: one prompt in, one text out. */
final class PlainChatCodec implements ChatCodec {

    @Override
    public ChatRequest decodeRequest(RequestBody body) {
        Map<String, Object> json = Json.parseObject(body.bytes(), "body");
        String prompt = Json.requireString(json, "prompt", "prompt");
        return new ChatRequest(body.model(), null, List.of(new Message(Role.USER, List.of(new Part.Text(prompt)))), null, null,
                Json.integer(json, "max_tokens", "max_tokens"), null, null, null, body.stream());
    }

    @Override
    public byte[] encodeRequest(ChatRequest request) {
        StringBuilder prompt = new StringBuilder();
        for (Message message : request.messages()) {
            for (Part part : message.content()) {
                if (part instanceof Part.Text text) {
                    prompt.append(text.text());
                }
            }
        }
        return Json.writeBytes(Json.object("model", request.model(), "prompt", prompt.toString(),
                "max_tokens", request.maxTokens(), "stream", request.stream()));
    }

    @Override
    public ChatResponse decodeResponse(byte[] body) {
        Map<String, Object> json = UnreadableAnswerException.decode(() -> Json.parseObject(body, "body"));
        return new ChatResponse("plain-answer", Json.string(json, "model", "model"),
                List.of(new Part.Text(UnreadableAnswerException.decode(() -> Json.requireString(json, "text", "text")))),
                StopReason.END_TURN, usage(json));
    }

    @Override
    public byte[] encodeResponse(ChatResponse response) {
        StringBuilder text = new StringBuilder();
        for (Part part : response.content()) {
            if (part instanceof Part.Text piece) {
                text.append(piece.text());
            }
        }
        return Json.writeBytes(Json.object("model", response.model(), "text", text.toString(), "used", used(response.usage())));
    }

    @Override
    public EventDecoder streamDecoder() {
        boolean[] started = {false};
        return event -> {
            Map<String, Object> json = UnreadableAnswerException.decode(() -> Json.parseObject(event.data(), "event"));
            List<ChatEvent> events = new ArrayList<>();
            if (!started[0]) {
                started[0] = true;
                events.add(new ChatEvent.Started("plain-stream", "plain"));
            }
            if (PlainFormat.END.equals(event.event())) {
                events.add(new ChatEvent.Finished(StopReason.END_TURN, usage(json)));
            } else {
                events.add(new ChatEvent.TextDelta(0, Json.string(json, "text", "text")));
            }
            return events;
        };
    }

    @Override
    public EventEncoder streamEncoder() {
        return event -> switch (event) {
            case ChatEvent.TextDelta delta -> List.of(SseEvent.data(Json.write(Json.object("text", delta.text()))));
            case ChatEvent.Finished finished -> List.of(SseEvent.named(PlainFormat.END, Json.write(Json.object("used", used(finished.usage())))));
            default -> List.of();
        };
    }

    private static Usage usage(Map<String, Object> json) {
        Map<String, Object> used = json.get("used") instanceof Map<?, ?> map ? Json.cast(map) : Map.of();
        return new Usage(Json.count(used, "in"), Json.count(used, "out"), 0, 0);
    }

    private static Map<String, Object> used(Usage usage) {
        return Json.object("in", usage == null ? 0L : usage.inputTokens(), "out", usage == null ? 0L : usage.outputTokens());
    }
}
