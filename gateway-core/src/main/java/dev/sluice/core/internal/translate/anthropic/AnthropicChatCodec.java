package dev.sluice.core.internal.translate.anthropic;

import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.error.UpstreamProtocolException;
import dev.sluice.core.internal.translate.ChatCodec;
import dev.sluice.core.internal.translate.Upstream;
import dev.sluice.core.internal.translate.chat.ChatEvent;
import dev.sluice.core.internal.translate.chat.ChatRequest;
import dev.sluice.core.internal.translate.chat.ChatResponse;
import dev.sluice.core.internal.translate.chat.Message;
import dev.sluice.core.internal.translate.chat.Part;
import dev.sluice.core.internal.translate.chat.Role;
import dev.sluice.core.internal.translate.chat.StopReason;
import dev.sluice.core.internal.translate.chat.Tool;
import dev.sluice.core.internal.translate.chat.ToolChoice;
import dev.sluice.core.internal.translate.chat.Usage;
import dev.sluice.core.internal.translate.json.Json;
import dev.sluice.core.request.RequestBody;
import dev.sluice.core.sse.SseEvent;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.sluice.core.internal.translate.json.Json.array;
import static dev.sluice.core.internal.translate.json.Json.asObject;
import static dev.sluice.core.internal.translate.json.Json.object;
import static dev.sluice.core.internal.translate.json.Json.string;

/**
 * Anthropic Messages bodies and named-event streams to and from the canonical chat model.
 *
 * <p>Not carried by the canonical model, so dropped on decode: {@code top_k}, {@code metadata}, {@code thinking}
 * and thinking blocks, {@code cache_control}, {@code service_tier}, {@code disable_parallel_tool_use}, and
 * {@code stop_sequence} (which sequence matched). Usage: canonical input tokens include cache reads and cache writes,
 * as OpenAI's prompt tokens do; on encode, cache writes are folded into {@code input_tokens}.
 */
public final class AnthropicChatCodec implements ChatCodec {

    /** Anthropic requires {@code max_tokens}; a canonical request without a limit is sent with this one. */
    public static final int DEFAULT_MAX_TOKENS = 4096;

    private static final String PROVIDER = "anthropic";

    // ---------------------------------------------------------------------------------------------- requests

    /** Decodes a Messages request body; what the canonical model cannot express is refused. */
    @Override
    public ChatRequest decodeRequest(RequestBody body) {
        return decodeRequest(body.bytes());
    }

    public ChatRequest decodeRequest(byte[] body) {
        Map<String, Object> json = Json.parseObject(body, "body");
        String model = string(json, "model", "model");
        if (model == null) {
            throw new InvalidRequestException("'model' is required", "model");
        }
        List<Part> system = new ArrayList<>();
        for (Part part : blocks(json.get("system"), "system", false)) {
            if (!(part instanceof Part.Text)) {
                throw new InvalidRequestException("Only text is allowed in 'system'", "system");
            }
            system.add(part);
        }
        List<Message> messages = new ArrayList<>();
        List<Object> rawMessages = array(json, "messages", "messages");
        for (int i = 0; i < rawMessages.size(); i++) {
            String at = "messages[" + i + "]";
            Map<String, Object> message = asObject(rawMessages.get(i), at);
            String role = string(message, "role", at + ".role");
            List<Part> parts = blocks(message.get("content"), at + ".content", true);
            if ("assistant".equals(role)) {
                for (Part part : parts) {
                    if (part instanceof Part.ToolResult || part instanceof Part.Image) {
                        throw new InvalidRequestException("An assistant message holds text and tool_use only", at + ".content");
                    }
                }
                messages.add(new Message(Role.ASSISTANT, parts));
            } else if ("user".equals(role)) {
                List<Part> results = new ArrayList<>();
                List<Part> rest = new ArrayList<>();
                for (Part part : parts) {
                    if (part instanceof Part.ToolCall) {
                        throw new InvalidRequestException("A user message cannot hold tool_use", at + ".content");
                    }
                    (part instanceof Part.ToolResult ? results : rest).add(part);
                }
                if (!results.isEmpty()) {
                    messages.add(new Message(Role.TOOL, results));
                }
                if (!rest.isEmpty() || results.isEmpty()) {
                    messages.add(new Message(Role.USER, rest));
                }
            } else {
                throw new InvalidRequestException("Unsupported role '" + role + "'", at + ".role");
            }
        }
        List<Tool> tools = new ArrayList<>();
        List<Object> rawTools = array(json, "tools", "tools");
        for (int i = 0; i < rawTools.size(); i++) {
            String at = "tools[" + i + "]";
            Map<String, Object> tool = asObject(rawTools.get(i), at);
            Object type = tool.get("type");
            if (type != null && !"custom".equals(type)) {
                throw new InvalidRequestException("Server tool '" + type + "' cannot be translated", at + ".type");
            }
            String name = requireString(tool, "name", at + ".name");
            Object schema = tool.get("input_schema");
            tools.add(new Tool(name, string(tool, "description", at + ".description"),
                    schema == null ? null : Json.write(schema)));
        }
        return new ChatRequest(model, system, messages, tools, toolChoice(object(json, "tool_choice", "tool_choice")),
                Json.integer(json, "max_tokens", "max_tokens"), Json.decimal(json, "temperature", "temperature"),
                Json.decimal(json, "top_p", "top_p"), strings(array(json, "stop_sequences", "stop_sequences")),
                Json.bool(json, "stream", false, "stream"));
    }

    private static List<String> strings(List<Object> values) {
        List<String> out = new ArrayList<>();
        for (Object value : values) {
            if (!(value instanceof String s)) {
                throw new InvalidRequestException("'stop_sequences' must be a list of strings", "stop_sequences");
            }
            out.add(s);
        }
        return out;
    }

    private static ToolChoice toolChoice(Map<String, Object> choice) {
        if (choice == null) {
            return null;
        }
        String type = string(choice, "type", "tool_choice.type");
        return switch (type == null ? "" : type) {
            case "auto" -> ToolChoice.of(ToolChoice.Mode.AUTO);
            case "none" -> ToolChoice.of(ToolChoice.Mode.NONE);
            case "any" -> ToolChoice.of(ToolChoice.Mode.REQUIRED);
            case "tool" -> ToolChoice.named(requireString(choice, "name", "tool_choice.name"));
            default -> throw new InvalidRequestException("Unknown tool_choice type '" + type + "'", "tool_choice.type");
        };
    }

    /** Content as a string or an array of blocks; {@code thinking} blocks are dropped. */
    private static List<Part> blocks(Object content, String at, boolean toolsAllowed) {
        if (content == null) {
            return List.of();
        }
        if (content instanceof String text) {
            return List.of(new Part.Text(text));
        }
        if (!(content instanceof List<?> list)) {
            throw new InvalidRequestException("'" + at + "' must be a string or an array of blocks", at);
        }
        List<Part> parts = new ArrayList<>();
        for (int j = 0; j < list.size(); j++) {
            String blockAt = at + "[" + j + "]";
            Map<String, Object> block = asObject(list.get(j), blockAt);
            String type = string(block, "type", blockAt + ".type");
            switch (type == null ? "" : type) {
                case "text" -> parts.add(new Part.Text(requireString(block, "text", blockAt + ".text")));
                case "image" -> parts.add(image(object(block, "source", blockAt + ".source"), blockAt + ".source"));
                case "tool_use" -> {
                    requireTools(toolsAllowed, blockAt);
                    Object input = block.get("input");
                    parts.add(new Part.ToolCall(string(block, "id", blockAt + ".id"),
                            requireString(block, "name", blockAt + ".name"), input == null ? "{}" : Json.write(input)));
                }
                case "tool_result" -> {
                    requireTools(toolsAllowed, blockAt);
                    StringBuilder text = new StringBuilder();
                    for (Part part : blocks(block.get("content"), blockAt + ".content", false)) {
                        if (!(part instanceof Part.Text t)) {
                            throw new InvalidRequestException("Only text tool results can be translated", blockAt + ".content");
                        }
                        text.append(t.text());
                    }
                    parts.add(new Part.ToolResult(requireString(block, "tool_use_id", blockAt + ".tool_use_id"),
                            text.toString(), Json.bool(block, "is_error", false, blockAt + ".is_error")));
                }
                case "thinking", "redacted_thinking" -> {
                    // The canonical model carries no reasoning; dropping it is what other formats expect anyway.
                }
                default -> throw new InvalidRequestException(
                        "Content block type '" + type + "' cannot be translated", blockAt + ".type");
            }
        }
        return parts;
    }

    private static void requireTools(boolean toolsAllowed, String at) {
        if (!toolsAllowed) {
            throw new InvalidRequestException("Tool blocks are not allowed in '" + at + "'", at);
        }
    }

    private static Part.Image image(Map<String, Object> source, String at) {
        if (source == null) {
            throw new InvalidRequestException("'" + at + "' is required", at);
        }
        String type = string(source, "type", at + ".type");
        return switch (type == null ? "" : type) {
            case "base64" -> Part.Image.ofData(requireString(source, "media_type", at + ".media_type"),
                    requireString(source, "data", at + ".data"));
            case "url" -> Part.Image.ofUrl(requireString(source, "url", at + ".url"));
            default -> throw new InvalidRequestException("Image source type '" + type + "' cannot be translated", at + ".type");
        };
    }

    private static String requireString(Map<String, Object> json, String key, String at) {
        String value = string(json, key, at);
        if (value == null) {
            throw new InvalidRequestException("'" + at + "' is required", at);
        }
        return value;
    }

    /**
     * Encodes a canonical request as a Messages body: tool results and the user turn after them share one user
     * message, as Anthropic requires; a request without a token limit gets {@link #DEFAULT_MAX_TOKENS}.
     */
    @Override
    public byte[] encodeRequest(ChatRequest request) {
        Map<String, Object> json = object("model", request.model(),
                "max_tokens", request.maxTokens() != null ? request.maxTokens() : DEFAULT_MAX_TOKENS);
        if (!request.system().isEmpty()) {
            json.put("system", systemContent(request.system()));
        }
        List<Object> messages = new ArrayList<>();
        Map<String, Object> user = null;
        for (int i = 0; i < request.messages().size(); i++) {
            Message message = request.messages().get(i);
            String at = "messages[" + i + "]";
            Object content = content(message.content(), at, message.role() == Role.ASSISTANT);
            if (message.role() == Role.ASSISTANT) {
                user = null;
                messages.add(object("role", "assistant", "content", content));
            } else if (user == null) {
                // A lone user turn keeps its plain-string form; anything merged into it becomes blocks.
                user = object("role", "user", "content", content);
                messages.add(user);
            } else {
                List<Object> merged = new ArrayList<>(asBlocks(user.get("content")));
                merged.addAll(asBlocks(content));
                user.put("content", merged);
            }
        }
        json.put("messages", messages);
        if (!request.tools().isEmpty()) {
            List<Object> tools = new ArrayList<>();
            for (Tool tool : request.tools()) {
                tools.add(object("name", tool.name(), "description", tool.description(),
                        "input_schema", tool.parametersSchemaJson() == null ? object("type", "object")
                                : Json.parse(tool.parametersSchemaJson(), "tools." + tool.name() + ".parameters")));
            }
            json.put("tools", tools);
        }
        if (request.toolChoice() != null) {
            json.put("tool_choice", switch (request.toolChoice().mode()) {
                case AUTO -> object("type", "auto");
                case NONE -> object("type", "none");
                case REQUIRED -> object("type", "any");
                case NAMED -> object("type", "tool", "name", request.toolChoice().name());
            });
        }
        if (request.temperature() != null) {
            json.put("temperature", request.temperature());
        }
        if (request.topP() != null) {
            json.put("top_p", request.topP());
        }
        if (!request.stop().isEmpty()) {
            json.put("stop_sequences", request.stop());
        }
        if (request.stream()) {
            json.put("stream", true);
        }
        return Json.writeBytes(json);
    }

    private static List<Object> asBlocks(Object content) {
        if (content instanceof String text) {
            return List.of(object("type", "text", "text", text));
        }
        @SuppressWarnings("unchecked")
        List<Object> blocks = (List<Object>) content;
        return blocks;
    }

    private static Object systemContent(List<Part> parts) {
        for (Part part : parts) {
            if (!(part instanceof Part.Text)) {
                throw new InvalidRequestException(
                        "Anthropic takes only text in 'system', not a " + part.getClass().getSimpleName() + " part", "system");
            }
        }
        return content(parts, "system", false);
    }

    private static Object content(List<Part> parts, String at, boolean assistant) {
        if (parts.size() == 1 && parts.getFirst() instanceof Part.Text text) {
            return text.text();
        }
        List<Object> blocks = new ArrayList<>();
        for (int j = 0; j < parts.size(); j++) {
            Part part = parts.get(j);
            String partAt = at + ".content[" + j + "]";
            switch (part) {
                case Part.Text text -> blocks.add(object("type", "text", "text", text.text()));
                case Part.Image image when !assistant -> blocks.add(object("type", "image", "source", image.url() != null
                        ? object("type", "url", "url", image.url())
                        : object("type", "base64", "media_type", image.mediaType(), "data", image.base64Data())));
                case Part.ToolCall call when assistant -> blocks.add(object("type", "tool_use", "id", call.id(),
                        "name", call.name(), "input", arguments(call.argumentsJson(), partAt + ".arguments")));
                case Part.ToolResult result when !assistant -> {
                    Map<String, Object> block = object("type", "tool_result", "tool_use_id", result.toolCallId(),
                            "content", result.text());
                    if (result.isError()) {
                        block.put("is_error", true);
                    }
                    blocks.add(block);
                }
                default -> throw new InvalidRequestException("Anthropic cannot take a " + part.getClass().getSimpleName()
                        + " part in " + (assistant ? "an assistant" : "a user") + " message", partAt);
            }
        }
        return blocks;
    }

    /** Tool-call arguments become the {@code input} object, so they must be a JSON object. */
    private static Object arguments(String argumentsJson, String at) {
        Object input = Json.parse(argumentsJson, at);
        if (!(input instanceof Map)) {
            throw new InvalidRequestException("Tool-call arguments must be a JSON object", at);
        }
        return input;
    }

    // --------------------------------------------------------------------------------------------- responses

    /** Decodes a Messages response body; thinking blocks are dropped. */
    @Override
    public ChatResponse decodeResponse(byte[] body) {
        return Upstream.decode(PROVIDER, () -> {
            Map<String, Object> json = Json.parseObject(body, "body");
            List<Part> content = blocks(json.get("content"), "content", true);
            return new ChatResponse(string(json, "id", "id"), string(json, "model", "model"), content,
                    stopReason(string(json, "stop_reason", "stop_reason")), usage(object(json, "usage", "usage")));
        });
    }

    /** Encodes a canonical answer as a Messages response body. */
    @Override
    public byte[] encodeResponse(ChatResponse response) {
        Map<String, Object> json = object("id", response.id(), "type", "message", "role", "assistant",
                "model", response.model(), "content", asBlocks(content(response.content(), "content", true)),
                "stop_reason", stopReason(response.stopReason()));
        json.put("stop_sequence", null);
        json.put("usage", usage(response.usage()));
        return Json.writeBytes(json);
    }

    static StopReason stopReason(String stopReason) {
        if (stopReason == null) {
            return StopReason.END_TURN;
        }
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> StopReason.MAX_TOKENS;
            case "stop_sequence" -> StopReason.STOP_SEQUENCE;
            case "tool_use" -> StopReason.TOOL_USE;
            case "refusal" -> StopReason.CONTENT_FILTER;
            default -> StopReason.END_TURN; // end_turn, pause_turn
        };
    }

    static String stopReason(StopReason reason) {
        return switch (reason == null ? StopReason.END_TURN : reason) {
            case END_TURN -> "end_turn";
            case MAX_TOKENS -> "max_tokens";
            case STOP_SEQUENCE -> "stop_sequence";
            case TOOL_USE -> "tool_use";
            case CONTENT_FILTER -> "refusal";
        };
    }

    /** Canonical input tokens count everything read, cached or not, as OpenAI's prompt tokens do. */
    static Usage usage(Map<String, Object> usage) {
        if (usage == null) {
            return Usage.ZERO;
        }
        long cacheRead = Json.count(usage, "cache_read_input_tokens");
        return new Usage(Json.count(usage, "input_tokens") + cacheRead + Json.count(usage, "cache_creation_input_tokens"),
                Json.count(usage, "output_tokens"), cacheRead, 0);
    }

    static Map<String, Object> usage(Usage usage) {
        return object("input_tokens", usage.inputTokens() - usage.cachedInputTokens(),
                "cache_read_input_tokens", usage.cachedInputTokens(), "output_tokens", usage.outputTokens());
    }

    // ----------------------------------------------------------------------------------------------- streams

    /** A decoder for one stream; not thread-safe, one per response. */
    @Override
    public StreamDecoder streamDecoder() {
        return new StreamDecoder();
    }

    /** An encoder for one stream; not thread-safe, one per response. */
    @Override
    public StreamEncoder streamEncoder() {
        return new StreamEncoder();
    }

    /**
     * Turns Messages stream events into canonical events, renumbering content blocks so that dropped thinking blocks
     * leave no gaps; {@code ping} and {@code content_block_stop} stand for nothing, and an {@code error} event fails.
     */
    public static final class StreamDecoder implements EventDecoder {

        private final Map<Integer, Integer> indexes = new HashMap<>();
        private Usage usage = Usage.ZERO;
        private StopReason reason;

        private StreamDecoder() {
        }

        /** The canonical events one stream event stands for, possibly none. */
        @Override
        public List<ChatEvent> decode(SseEvent event) {
            Map<String, Object> json = Upstream.decode(PROVIDER,
                    () -> Json.parseObject(event.data().getBytes(StandardCharsets.UTF_8), "event"));
            String type = event.event() != null ? event.event() : (String) json.get("type");
            return Upstream.decode(PROVIDER, () -> decode(type == null ? "" : type, json));
        }

        private List<ChatEvent> decode(String type, Map<String, Object> json) {
            switch (type) {
                case "message_start" -> {
                    Map<String, Object> message = object(json, "message", "message");
                    if (message == null) {
                        throw new InvalidRequestException("message_start without a message", "message");
                    }
                    usage = usage(object(message, "usage", "message.usage"));
                    return List.of(new ChatEvent.Started(string(message, "id", "message.id"),
                            string(message, "model", "message.model")));
                }
                case "content_block_start" -> {
                    Map<String, Object> block = object(json, "content_block", "content_block");
                    String blockType = block == null ? "" : string(block, "type", "content_block.type");
                    int at = anthropicIndex(json);
                    if ("text".equals(blockType)) {
                        int index = indexes.computeIfAbsent(at, k -> indexes.size());
                        String text = string(block, "text", "content_block.text");
                        return text == null || text.isEmpty() ? List.of() : List.of(new ChatEvent.TextDelta(index, text));
                    }
                    if ("tool_use".equals(blockType)) {
                        int index = indexes.computeIfAbsent(at, k -> indexes.size());
                        return List.of(new ChatEvent.ToolCallStarted(index, string(block, "id", "content_block.id"),
                                string(block, "name", "content_block.name")));
                    }
                    return List.of();
                }
                case "content_block_delta" -> {
                    Integer index = indexes.get(anthropicIndex(json));
                    Map<String, Object> delta = object(json, "delta", "delta");
                    if (index == null || delta == null) {
                        return List.of(); // a delta of a dropped (thinking) block
                    }
                    String deltaType = string(delta, "type", "delta.type");
                    if ("text_delta".equals(deltaType)) {
                        String text = string(delta, "text", "delta.text");
                        return text == null || text.isEmpty() ? List.of() : List.of(new ChatEvent.TextDelta(index, text));
                    }
                    if ("input_json_delta".equals(deltaType)) {
                        String partial = string(delta, "partial_json", "delta.partial_json");
                        return partial == null || partial.isEmpty() ? List.of() : List.of(new ChatEvent.ToolCallArguments(index, partial));
                    }
                    return List.of();
                }
                case "message_delta" -> {
                    Map<String, Object> delta = object(json, "delta", "delta");
                    if (delta != null && delta.get("stop_reason") instanceof String stop) {
                        reason = stopReason(stop);
                    }
                    Map<String, Object> more = object(json, "usage", "usage");
                    if (more != null) {
                        usage = usage.merge(usage(more));
                    }
                    return List.of();
                }
                case "message_stop" -> {
                    return List.of(new ChatEvent.Finished(reason == null ? StopReason.END_TURN : reason, usage));
                }
                case "error" -> {
                    Map<String, Object> error = object(json, "error", "error");
                    throw new UpstreamProtocolException(PROVIDER, "Stream error: "
                            + (error == null ? "unknown" : error.get("type") + ": " + error.get("message")));
                }
                default -> {
                    return List.of(); // ping, content_block_stop, and event types added after this was written
                }
            }
        }

        private static int anthropicIndex(Map<String, Object> json) {
            return json.get("index") instanceof Number n ? n.intValue() : 0;
        }
    }

    /**
     * Turns canonical events into Messages stream events: each content part becomes a block opened on its first
     * event and closed when the next opens or the answer finishes. Canonical streams learn usage only at the end, so
     * {@code message_start} reports zero tokens and {@code message_delta} carries input, cached and output tokens.
     */
    public static final class StreamEncoder implements EventEncoder {

        private final Map<Integer, Integer> blocks = new HashMap<>();
        private Integer open;

        private StreamEncoder() {
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
                    Map<String, Object> delta = object("stop_reason", stopReason(finished.reason()));
                    delta.put("stop_sequence", null);
                    out.add(named("message_delta", object("type", "message_delta", "delta", delta,
                            "usage", usage(finished.usage()))));
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
}
