package dev.sluice.core.internal.translate.openai;

import dev.sluice.core.error.InvalidRequestException;
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
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.sluice.core.internal.translate.json.Json.array;
import static dev.sluice.core.internal.translate.json.Json.asObject;
import static dev.sluice.core.internal.translate.json.Json.object;
import static dev.sluice.core.internal.translate.json.Json.string;

/**
 * OpenAI Chat Completions bodies and {@code chat.completion.chunk} streams to and from the canonical chat model.
 *
 * <p>Not carried by the canonical model, so dropped on decode: {@code n} (above 1 it is refused), {@code logprobs},
 * {@code response_format}, {@code seed}, penalties, {@code user}, {@code metadata}, {@code parallel_tool_calls},
 * {@code reasoning_effort}, image {@code detail}, and assistant {@code refusal}. A tool result's error flag has no
 * OpenAI field and is dropped on encode.
 */
public final class OpenAiChatCodec implements ChatCodec {

    private static final String PROVIDER = "openai";

    private final Clock clock;

    public OpenAiChatCodec() {
        this(Clock.systemUTC());
    }

    /** A codec stamping {@code created} on encoded responses and chunks from {@code clock}. */
    public OpenAiChatCodec(Clock clock) {
        this.clock = clock;
    }

    // ---------------------------------------------------------------------------------------------- requests

    /** Decodes a Chat Completions request body; what the canonical model cannot express is refused. */
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
        Integer n = Json.integer(json, "n", "n");
        if (n != null && n != 1) {
            throw new InvalidRequestException("Only n=1 can be translated to another provider", "n");
        }
        List<Part> system = new ArrayList<>();
        List<Message> messages = new ArrayList<>();
        List<Object> rawMessages = array(json, "messages", "messages");
        for (int i = 0; i < rawMessages.size(); i++) {
            String at = "messages[" + i + "]";
            Map<String, Object> message = asObject(rawMessages.get(i), at);
            String role = string(message, "role", at + ".role");
            switch (role == null ? "" : role) {
                case "system", "developer" -> system.addAll(textParts(message.get("content"), at + ".content"));
                case "user" -> messages.add(new Message(Role.USER, userParts(message.get("content"), at + ".content")));
                case "assistant" -> messages.add(new Message(Role.ASSISTANT, assistantParts(message, at)));
                case "tool" -> {
                    String id = string(message, "tool_call_id", at + ".tool_call_id");
                    if (id == null) {
                        throw new InvalidRequestException("'" + at + ".tool_call_id' is required", at + ".tool_call_id");
                    }
                    String text = joinText(textParts(message.get("content"), at + ".content"));
                    messages.add(new Message(Role.TOOL, List.of(new Part.ToolResult(id, text, false))));
                }
                default -> throw new InvalidRequestException("Unsupported role '" + role + "'", at + ".role");
            }
        }
        List<Tool> tools = new ArrayList<>();
        List<Object> rawTools = array(json, "tools", "tools");
        for (int i = 0; i < rawTools.size(); i++) {
            String at = "tools[" + i + "]";
            Map<String, Object> tool = asObject(rawTools.get(i), at);
            if (!"function".equals(tool.get("type"))) {
                throw new InvalidRequestException("Only function tools can be translated", at + ".type");
            }
            Map<String, Object> function = object(tool, "function", at + ".function");
            if (function == null || string(function, "name", at + ".function.name") == null) {
                throw new InvalidRequestException("'" + at + ".function.name' is required", at + ".function.name");
            }
            Object parameters = function.get("parameters");
            tools.add(new Tool(string(function, "name", at + ".function.name"),
                    string(function, "description", at + ".function.description"),
                    parameters == null ? null : Json.write(parameters)));
        }
        Integer maxTokens = Json.integer(json, "max_completion_tokens", "max_completion_tokens");
        if (maxTokens == null) {
            maxTokens = Json.integer(json, "max_tokens", "max_tokens");
        }
        return new ChatRequest(model, system, messages, tools, toolChoice(json.get("tool_choice")), maxTokens,
                Json.decimal(json, "temperature", "temperature"), Json.decimal(json, "top_p", "top_p"),
                stop(json.get("stop")), Json.bool(json, "stream", false, "stream"));
    }

    private static ToolChoice toolChoice(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof String mode) {
            return switch (mode) {
                case "auto" -> ToolChoice.of(ToolChoice.Mode.AUTO);
                case "none" -> ToolChoice.of(ToolChoice.Mode.NONE);
                case "required" -> ToolChoice.of(ToolChoice.Mode.REQUIRED);
                default -> throw new InvalidRequestException("Unknown tool_choice '" + mode + "'", "tool_choice");
            };
        }
        Map<String, Object> choice = asObject(value, "tool_choice");
        Map<String, Object> function = object(choice, "function", "tool_choice.function");
        String name = function == null ? null : string(function, "name", "tool_choice.function.name");
        if (name == null) {
            throw new InvalidRequestException("'tool_choice.function.name' is required", "tool_choice.function.name");
        }
        return ToolChoice.named(name);
    }

    private static List<String> stop(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof String s) {
            return List.of(s);
        }
        if (value instanceof List<?> list) {
            List<String> stops = new ArrayList<>();
            for (Object item : list) {
                if (!(item instanceof String s)) {
                    throw new InvalidRequestException("'stop' must be a string or a list of strings", "stop");
                }
                stops.add(s);
            }
            return stops;
        }
        throw new InvalidRequestException("'stop' must be a string or a list of strings", "stop");
    }

    /** Content that may only be text: a string, or an array of {@code text} parts. */
    private static List<Part> textParts(Object content, String at) {
        List<Part> parts = new ArrayList<>();
        for (Part part : userParts(content, at)) {
            if (!(part instanceof Part.Text)) {
                throw new InvalidRequestException("Only text is allowed in '" + at + "'", at);
            }
            parts.add(part);
        }
        return parts;
    }

    private static List<Part> userParts(Object content, String at) {
        if (content == null) {
            return List.of();
        }
        if (content instanceof String text) {
            return List.of(new Part.Text(text));
        }
        if (!(content instanceof List<?> list)) {
            throw new InvalidRequestException("'" + at + "' must be a string or an array of parts", at);
        }
        List<Part> parts = new ArrayList<>();
        for (int j = 0; j < list.size(); j++) {
            String partAt = at + "[" + j + "]";
            Map<String, Object> part = asObject(list.get(j), partAt);
            String type = string(part, "type", partAt + ".type");
            switch (type == null ? "" : type) {
                case "text" -> parts.add(new Part.Text(requireString(part, "text", partAt + ".text")));
                case "image_url" -> {
                    Map<String, Object> image = object(part, "image_url", partAt + ".image_url");
                    String url = image == null ? null : string(image, "url", partAt + ".image_url.url");
                    if (url == null) {
                        throw new InvalidRequestException("'" + partAt + ".image_url.url' is required", partAt + ".image_url.url");
                    }
                    parts.add(image(url, partAt + ".image_url.url"));
                }
                default -> throw new InvalidRequestException(
                        "Content part type '" + type + "' cannot be translated", partAt + ".type");
            }
        }
        return parts;
    }

    static Part.Image image(String url, String at) {
        if (!url.startsWith("data:")) {
            return Part.Image.ofUrl(url);
        }
        int comma = url.indexOf(',');
        String header = comma < 0 ? "" : url.substring(5, comma);
        if (!header.endsWith(";base64") || header.length() == ";base64".length()) {
            throw new InvalidRequestException("An image data URL must be 'data:<media type>;base64,<data>'", at);
        }
        return Part.Image.ofData(header.substring(0, header.length() - ";base64".length()), url.substring(comma + 1));
    }

    private static List<Part> assistantParts(Map<String, Object> message, String at) {
        List<Part> parts = new ArrayList<>(textParts(message.get("content"), at + ".content"));
        List<Object> calls = array(message, "tool_calls", at + ".tool_calls");
        for (int j = 0; j < calls.size(); j++) {
            String callAt = at + ".tool_calls[" + j + "]";
            Map<String, Object> call = asObject(calls.get(j), callAt);
            Map<String, Object> function = object(call, "function", callAt + ".function");
            if (function == null) {
                throw new InvalidRequestException("'" + callAt + ".function' is required", callAt + ".function");
            }
            parts.add(new Part.ToolCall(string(call, "id", callAt + ".id"),
                    requireString(function, "name", callAt + ".function.name"),
                    string(function, "arguments", callAt + ".function.arguments")));
        }
        return parts;
    }

    private static String requireString(Map<String, Object> json, String key, String at) {
        String value = string(json, key, at);
        if (value == null) {
            throw new InvalidRequestException("'" + at + "' is required", at);
        }
        return value;
    }

    private static String joinText(List<Part> parts) {
        StringBuilder text = new StringBuilder();
        for (Part part : parts) {
            text.append(((Part.Text) part).text());
        }
        return text.toString();
    }

    /**
     * Encodes a canonical request as a Chat Completions body. The token limit goes out as {@code max_tokens}, which
     * every OpenAI-compatible server understands; a streamed request asks for the usage chunk, which accounting needs.
     */
    @Override
    public byte[] encodeRequest(ChatRequest request) {
        List<Object> messages = new ArrayList<>();
        if (!request.system().isEmpty()) {
            messages.add(object("role", "system", "content", content(request.system(), "system", false)));
        }
        for (int i = 0; i < request.messages().size(); i++) {
            Message message = request.messages().get(i);
            String at = "messages[" + i + "]";
            switch (message.role()) {
                case USER -> messages.add(object("role", "user", "content", content(message.content(), at, true)));
                case ASSISTANT -> messages.add(assistantMessage(message.content(), at));
                case TOOL -> {
                    for (Part part : message.content()) {
                        if (!(part instanceof Part.ToolResult result)) {
                            throw new InvalidRequestException("A tool message holds only tool results", at);
                        }
                        messages.add(object("role", "tool", "tool_call_id", result.toolCallId(), "content", result.text()));
                    }
                }
            }
        }
        Map<String, Object> json = object("model", request.model(), "messages", messages);
        if (!request.tools().isEmpty()) {
            List<Object> tools = new ArrayList<>();
            for (Tool tool : request.tools()) {
                tools.add(object("type", "function", "function", object("name", tool.name(),
                        "description", tool.description(),
                        "parameters", tool.parametersSchemaJson() == null ? null
                                : Json.parse(tool.parametersSchemaJson(), "tools." + tool.name() + ".parameters"))));
            }
            json.put("tools", tools);
        }
        if (request.toolChoice() != null) {
            json.put("tool_choice", switch (request.toolChoice().mode()) {
                case AUTO -> "auto";
                case NONE -> "none";
                case REQUIRED -> "required";
                case NAMED -> object("type", "function", "function", object("name", request.toolChoice().name()));
            });
        }
        if (request.maxTokens() != null) {
            json.put("max_tokens", request.maxTokens());
        }
        if (request.temperature() != null) {
            json.put("temperature", request.temperature());
        }
        if (request.topP() != null) {
            json.put("top_p", request.topP());
        }
        if (!request.stop().isEmpty()) {
            json.put("stop", request.stop());
        }
        if (request.stream()) {
            json.put("stream", true);
            json.put("stream_options", object("include_usage", true));
        }
        return Json.writeBytes(json);
    }

    private static Object content(List<Part> parts, String at, boolean imagesAllowed) {
        if (parts.size() == 1 && parts.getFirst() instanceof Part.Text text) {
            return text.text();
        }
        List<Object> out = new ArrayList<>();
        for (Part part : parts) {
            switch (part) {
                case Part.Text text -> out.add(object("type", "text", "text", text.text()));
                case Part.Image image when imagesAllowed -> out.add(object("type", "image_url", "image_url",
                        object("url", image.url() != null ? image.url()
                                : "data:" + image.mediaType() + ";base64," + image.base64Data())));
                default -> throw new InvalidRequestException(
                        "A " + part.getClass().getSimpleName() + " part cannot appear in '" + at + "'", at);
            }
        }
        return out;
    }

    private static Map<String, Object> assistantMessage(List<Part> parts, String at) {
        StringBuilder text = new StringBuilder();
        boolean hasText = false;
        List<Object> calls = new ArrayList<>();
        for (Part part : parts) {
            switch (part) {
                case Part.Text t -> {
                    text.append(t.text());
                    hasText = true;
                }
                case Part.ToolCall call -> calls.add(toolCall(call));
                default -> throw new InvalidRequestException(
                        "A " + part.getClass().getSimpleName() + " part cannot appear in an assistant message", at);
            }
        }
        Map<String, Object> message = object("role", "assistant");
        message.put("content", hasText ? text.toString() : null);
        if (!calls.isEmpty()) {
            message.put("tool_calls", calls);
        }
        return message;
    }

    private static Map<String, Object> toolCall(Part.ToolCall call) {
        return object("id", call.id(), "type", "function",
                "function", object("name", call.name(), "arguments", call.argumentsJson()));
    }

    // --------------------------------------------------------------------------------------------- responses

    /** Decodes a {@code chat.completion} body; only the first choice is kept. */
    @Override
    public ChatResponse decodeResponse(byte[] body) {
        return Upstream.decode(PROVIDER, () -> {
            Map<String, Object> json = Json.parseObject(body, "body");
            List<Object> choices = array(json, "choices", "choices");
            List<Part> content = new ArrayList<>();
            StopReason reason = StopReason.END_TURN;
            if (!choices.isEmpty()) {
                Map<String, Object> choice = asObject(choices.getFirst(), "choices[0]");
                Map<String, Object> message = object(choice, "message", "choices[0].message");
                if (message != null) {
                    content.addAll(assistantParts(message, "choices[0].message"));
                }
                reason = stopReason(string(choice, "finish_reason", "choices[0].finish_reason"));
            }
            return new ChatResponse(string(json, "id", "id"), string(json, "model", "model"), content, reason,
                    usage(object(json, "usage", "usage")));
        });
    }

    /** Encodes a canonical answer as a {@code chat.completion} body with one choice. */
    @Override
    public byte[] encodeResponse(ChatResponse response) {
        Map<String, Object> message = assistantMessage(response.content(), "content");
        Map<String, Object> choice = object("index", 0, "message", message);
        choice.put("logprobs", null);
        choice.put("finish_reason", finishReason(response.stopReason()));
        return Json.writeBytes(object("id", response.id(), "object", "chat.completion",
                "created", clock.instant().getEpochSecond(), "model", response.model(),
                "choices", List.of(choice), "usage", usage(response.usage())));
    }

    static StopReason stopReason(String finishReason) {
        if (finishReason == null) {
            return StopReason.END_TURN;
        }
        return switch (finishReason) {
            case "length" -> StopReason.MAX_TOKENS;
            case "tool_calls", "function_call" -> StopReason.TOOL_USE;
            case "content_filter" -> StopReason.CONTENT_FILTER;
            default -> StopReason.END_TURN;
        };
    }

    /** OpenAI says {@code stop} both for a natural end and for a stop sequence. */
    static String finishReason(StopReason reason) {
        return switch (reason == null ? StopReason.END_TURN : reason) {
            case END_TURN, STOP_SEQUENCE -> "stop";
            case MAX_TOKENS -> "length";
            case TOOL_USE -> "tool_calls";
            case CONTENT_FILTER -> "content_filter";
        };
    }

    static Usage usage(Map<String, Object> usage) {
        if (usage == null) {
            return Usage.ZERO;
        }
        Object prompt = usage.get("prompt_tokens_details");
        Object completion = usage.get("completion_tokens_details");
        return new Usage(Json.count(usage, "prompt_tokens"), Json.count(usage, "completion_tokens"),
                prompt instanceof Map<?, ?> p ? Json.count(Json.cast(p), "cached_tokens") : 0,
                completion instanceof Map<?, ?> c ? Json.count(Json.cast(c), "reasoning_tokens") : 0);
    }

    static Map<String, Object> usage(Usage usage) {
        return object("prompt_tokens", usage.inputTokens(), "completion_tokens", usage.outputTokens(),
                "total_tokens", usage.inputTokens() + usage.outputTokens(),
                "prompt_tokens_details", object("cached_tokens", usage.cachedInputTokens()),
                "completion_tokens_details", object("reasoning_tokens", usage.reasoningTokens()));
    }

    // ----------------------------------------------------------------------------------------------- streams

    /** A decoder for one stream; not thread-safe, one per response. */
    @Override
    public StreamDecoder streamDecoder() {
        return new StreamDecoder();
    }

    /** An encoder for one stream that sends the usage chunk: accounting reads it, and it is hidden from callers who did not ask. */
    @Override
    public StreamEncoder streamEncoder() {
        return streamEncoder(true);
    }

    /** An encoder for one stream; with {@code includeUsage} it sends the usage chunk before {@code [DONE]}. */
    public StreamEncoder streamEncoder(boolean includeUsage) {
        return new StreamEncoder(includeUsage);
    }

    /**
     * Turns the {@code data} of each {@code chat.completion.chunk} event into canonical events. The finish reason is
     * held until the usage chunk that follows it, which completes {@link ChatEvent.Finished}; when no usage chunk
     * comes, {@code [DONE]} releases the held {@code Finished}.
     */
    public static final class StreamDecoder implements EventDecoder {

        private boolean started;
        private int nextIndex;
        private int textIndex = -1;
        private final Map<Integer, Integer> toolIndexes = new HashMap<>();
        private StopReason reason;
        private Usage usage;
        private boolean finished;

        private StreamDecoder() {
        }

        /** The canonical events one chunk's data stands for, possibly none. */
        @Override
        public List<ChatEvent> decode(SseEvent event) {
            return decode(event.data());
        }

        public List<ChatEvent> decode(String data) {
            List<ChatEvent> events = new ArrayList<>();
            if ("[DONE]".equals(data.strip())) {
                finish(events);
                return events;
            }
            Map<String, Object> chunk = Upstream.decode(PROVIDER, () -> Json.parseObject(
                    data.getBytes(StandardCharsets.UTF_8), "chunk"));
            if (!started) {
                started = true;
                events.add(new ChatEvent.Started(chunk.get("id") instanceof String id ? id : null,
                        chunk.get("model") instanceof String model ? model : null));
            }
            List<?> choices = chunk.get("choices") instanceof List<?> list ? list : List.of();
            for (Object rawChoice : choices) {
                if (!(rawChoice instanceof Map<?, ?> map)) {
                    continue;
                }
                Map<String, Object> choice = Json.cast(map);
                if (choice.get("index") instanceof Number n && n.intValue() != 0) {
                    continue;
                }
                if (choice.get("delta") instanceof Map<?, ?> rawDelta) {
                    delta(Json.cast(rawDelta), events);
                }
                if (choice.get("finish_reason") instanceof String finishReason) {
                    reason = stopReason(finishReason);
                }
            }
            if (chunk.get("usage") instanceof Map<?, ?> rawUsage) {
                usage = usage(Json.cast(rawUsage));
            }
            if (reason != null && usage != null) {
                finish(events);
            }
            return events;
        }

        private void delta(Map<String, Object> delta, List<ChatEvent> events) {
            if (delta.get("content") instanceof String text && !text.isEmpty()) {
                if (textIndex < 0) {
                    textIndex = nextIndex++;
                }
                events.add(new ChatEvent.TextDelta(textIndex, text));
            }
            if (delta.get("tool_calls") instanceof List<?> calls) {
                for (Object rawCall : calls) {
                    if (!(rawCall instanceof Map<?, ?> map)) {
                        continue;
                    }
                    Map<String, Object> call = Json.cast(map);
                    int openAiIndex = call.get("index") instanceof Number n ? n.intValue() : 0;
                    Map<String, Object> function = call.get("function") instanceof Map<?, ?> f ? Json.cast(f) : Map.of();
                    Integer index = toolIndexes.get(openAiIndex);
                    if (index == null) {
                        index = nextIndex++;
                        toolIndexes.put(openAiIndex, index);
                        events.add(new ChatEvent.ToolCallStarted(index, call.get("id") instanceof String id ? id : null,
                                function.get("name") instanceof String name ? name : null));
                    }
                    if (function.get("arguments") instanceof String arguments && !arguments.isEmpty()) {
                        events.add(new ChatEvent.ToolCallArguments(index, arguments));
                    }
                }
            }
        }

        private void finish(List<ChatEvent> events) {
            if (!finished && (reason != null || usage != null)) {
                finished = true;
                events.add(new ChatEvent.Finished(reason == null ? StopReason.END_TURN : reason,
                        usage == null ? Usage.ZERO : usage));
            }
        }
    }

    /** Turns canonical events into the {@code data} of {@code chat.completion.chunk} events, ending with {@code [DONE]}. */
    public final class StreamEncoder implements EventEncoder {

        private final boolean includeUsage;
        private String id;
        private String model;
        private long created;
        private final Map<Integer, Integer> toolIndexes = new HashMap<>();

        private StreamEncoder(boolean includeUsage) {
            this.includeUsage = includeUsage;
        }

        @Override
        public List<SseEvent> encode(ChatEvent event) {
            List<String> payloads = payloads(event);
            List<SseEvent> events = new ArrayList<>(payloads.size());
            for (String payload : payloads) {
                events.add(SseEvent.data(payload));
            }
            return events;
        }

        /** The chunk payloads for one canonical event, in order. */
        public List<String> payloads(ChatEvent event) {
            return switch (event) {
                case ChatEvent.Started started -> {
                    id = started.id();
                    model = started.model();
                    created = clock.instant().getEpochSecond();
                    yield List.of(chunk(object("role", "assistant", "content", ""), null));
                }
                case ChatEvent.TextDelta text -> List.of(chunk(object("content", text.text()), null));
                case ChatEvent.ToolCallStarted call -> {
                    int index = toolIndexes.size();
                    toolIndexes.put(call.index(), index);
                    yield List.of(chunk(object("tool_calls", List.of(object("index", index, "id", call.id(),
                            "type", "function", "function", object("name", call.name(), "arguments", "")))), null));
                }
                case ChatEvent.ToolCallArguments arguments -> List.of(chunk(object("tool_calls", List.of(object(
                        "index", toolIndexes.getOrDefault(arguments.index(), 0),
                        "function", object("arguments", arguments.jsonFragment())))), null));
                case ChatEvent.Finished finished -> {
                    List<String> out = new ArrayList<>();
                    out.add(chunk(object(), finishReason(finished.reason())));
                    if (includeUsage) {
                        out.add(Json.write(object("id", id, "object", "chat.completion.chunk", "created", created,
                                "model", model, "choices", List.of(), "usage", usage(finished.usage()))));
                    }
                    out.add("[DONE]");
                    yield out;
                }
            };
        }

        private String chunk(Map<String, Object> delta, String finishReason) {
            Map<String, Object> choice = object("index", 0, "delta", delta);
            choice.put("logprobs", null);
            choice.put("finish_reason", finishReason);
            return Json.write(object("id", id, "object", "chat.completion.chunk", "created", created,
                    "model", model, "choices", List.of(choice)));
        }
    }
}
