package dev.sluice.core.internal.translate.gemini;

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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static dev.sluice.core.internal.translate.json.Json.array;
import static dev.sluice.core.internal.translate.json.Json.asObject;
import static dev.sluice.core.internal.translate.json.Json.object;
import static dev.sluice.core.internal.translate.json.Json.string;

/**
 * Gemini {@code generateContent} bodies and {@code streamGenerateContent?alt=sse} streams to and from the canonical
 * chat model. The model and whether to stream are in Gemini's URL, not its body: the body carries neither.
 *
 * <p>Gemini gives function calls no id: ids {@code call_<n>} are synthesised on decode, {@code n} counting the
 * function calls of the body (or stream) from 0, and ids are dropped on encode. A tool result is sent as a
 * {@code functionResponse} named after the tool call with the same id, earlier in the request; its text becomes the
 * {@code response} object when it is a JSON object, otherwise {@code {"result": text}} ({@code {"error": text}} when
 * it is an error). An image given by an http(s) URL cannot be sent inline: it is sent as {@code fileData} with a
 * media type guessed from the URL's extension ({@code image/jpeg} when there is none to go by).
 *
 * <p>Not carried by the canonical model, so dropped on decode: {@code safetySettings}, {@code cachedContent},
 * {@code generationConfig} fields other than the token limit, temperature, top-p and stop sequences, thought parts,
 * {@code safetyRatings}, {@code citationMetadata} and the candidates after the first. Usage: canonical input tokens
 * are {@code promptTokenCount} plus {@code toolUsePromptTokenCount}; output tokens include {@code thoughtsTokenCount}.
 */
public final class GeminiChatCodec implements ChatCodec {

    private static final String PROVIDER = "gemini";

    // ---------------------------------------------------------------------------------------------- requests

    /**
     * Decodes a {@code generateContent} request body; {@code model} and {@code stream} come from the URL. Function
     * responses are matched to the earliest unanswered function call of the same name.
     */
    /** Decodes a request whose model and streaming the URL gave, as Gemini's routes do. */
    @Override
    public ChatRequest decodeRequest(RequestBody body) {
        return decodeRequest(body.bytes(), body.model(), body.stream());
    }

    public ChatRequest decodeRequest(byte[] body, String model, boolean stream) {
        Map<String, Object> json = Json.parseObject(body, "body");
        List<Part> system = new ArrayList<>();
        Map<String, Object> instruction = object(json, "systemInstruction", "systemInstruction");
        if (instruction != null) {
            List<Object> parts = array(instruction, "parts", "systemInstruction.parts");
            for (int i = 0; i < parts.size(); i++) {
                String at = "systemInstruction.parts[" + i + "]";
                String text = string(asObject(parts.get(i), at), "text", at + ".text");
                if (text == null) {
                    throw new InvalidRequestException("Only text is allowed in 'systemInstruction'", at);
                }
                system.add(new Part.Text(text));
            }
        }
        RequestIds ids = new RequestIds();
        List<Message> messages = new ArrayList<>();
        List<Object> contents = array(json, "contents", "contents");
        for (int i = 0; i < contents.size(); i++) {
            String at = "contents[" + i + "]";
            Map<String, Object> content = asObject(contents.get(i), at);
            String role = string(content, "role", at + ".role");
            boolean fromModel = "model".equals(role);
            if (!fromModel && role != null && !"user".equals(role)) {
                throw new InvalidRequestException("Unsupported role '" + role + "'", at + ".role");
            }
            List<Part> results = new ArrayList<>();
            List<Part> rest = new ArrayList<>();
            List<Object> parts = array(content, "parts", at + ".parts");
            for (int j = 0; j < parts.size(); j++) {
                String partAt = at + ".parts[" + j + "]";
                Part part = part(asObject(parts.get(j), partAt), partAt, ids);
                if (part == null) {
                    continue;
                }
                boolean modelPart = part instanceof Part.ToolCall;
                if (fromModel && (part instanceof Part.ToolResult || part instanceof Part.Image)
                        || !fromModel && modelPart) {
                    throw new InvalidRequestException("A " + (fromModel ? "model" : "user") + " turn cannot hold a "
                            + part.getClass().getSimpleName() + " part", partAt);
                }
                (part instanceof Part.ToolResult ? results : rest).add(part);
            }
            if (!results.isEmpty()) {
                messages.add(new Message(Role.TOOL, results));
            }
            if (!rest.isEmpty() || results.isEmpty()) {
                messages.add(new Message(fromModel ? Role.ASSISTANT : Role.USER, rest));
            }
        }
        List<Tool> tools = new ArrayList<>();
        List<Object> rawTools = array(json, "tools", "tools");
        for (int i = 0; i < rawTools.size(); i++) {
            String at = "tools[" + i + "]";
            Map<String, Object> tool = asObject(rawTools.get(i), at);
            for (String key : tool.keySet()) {
                if (!"functionDeclarations".equals(key)) {
                    throw new InvalidRequestException("Tool '" + key + "' cannot be translated", at + "." + key);
                }
            }
            List<Object> declarations = array(tool, "functionDeclarations", at + ".functionDeclarations");
            for (int j = 0; j < declarations.size(); j++) {
                String declAt = at + ".functionDeclarations[" + j + "]";
                Map<String, Object> declaration = asObject(declarations.get(j), declAt);
                Object schema = declaration.get("parameters") != null ? declaration.get("parameters")
                        : declaration.get("parametersJsonSchema");
                tools.add(new Tool(requireString(declaration, "name", declAt + ".name"),
                        string(declaration, "description", declAt + ".description"),
                        schema == null ? null : Json.write(schema)));
            }
        }
        Map<String, Object> config = object(json, "generationConfig", "generationConfig");
        if (config == null) {
            config = Map.of();
        }
        return new ChatRequest(model, system, messages, tools, toolChoice(object(json, "toolConfig", "toolConfig")),
                Json.integer(config, "maxOutputTokens", "generationConfig.maxOutputTokens"),
                Json.decimal(config, "temperature", "generationConfig.temperature"),
                Json.decimal(config, "topP", "generationConfig.topP"),
                strings(array(config, "stopSequences", "generationConfig.stopSequences")), stream);
    }

    /** Synthesised call ids of a request, and the calls not answered yet by name. */
    private static final class RequestIds {
        private int next;
        private final Map<String, Deque<String>> unanswered = new HashMap<>();

        String call(String name) {
            String id = "call_" + next++;
            unanswered.computeIfAbsent(name, k -> new ArrayDeque<>()).add(id);
            return id;
        }

        String answer(String name, String at) {
            Deque<String> waiting = unanswered.get(name);
            if (waiting == null || waiting.isEmpty()) {
                throw new InvalidRequestException("No earlier functionCall named '" + name + "' for this functionResponse", at);
            }
            return waiting.poll();
        }
    }

    /** One part, or null for a part the canonical model drops (thoughts). */
    private static Part part(Map<String, Object> part, String at, RequestIds ids) {
        if (Boolean.TRUE.equals(part.get("thought"))) {
            return null;
        }
        if (part.get("text") != null) {
            return new Part.Text(string(part, "text", at + ".text"));
        }
        Map<String, Object> inline = object(part, "inlineData", at + ".inlineData");
        if (inline != null) {
            return Part.Image.ofData(requireImageType(inline, at + ".inlineData"),
                    requireString(inline, "data", at + ".inlineData.data"));
        }
        Map<String, Object> file = object(part, "fileData", at + ".fileData");
        if (file != null) {
            if (string(file, "mimeType", at + ".fileData.mimeType") != null) {
                requireImageType(file, at + ".fileData");
            }
            return Part.Image.ofUrl(requireString(file, "fileUri", at + ".fileData.fileUri"));
        }
        Map<String, Object> call = object(part, "functionCall", at + ".functionCall");
        if (call != null) {
            String name = requireString(call, "name", at + ".functionCall.name");
            Object args = call.get("args");
            return new Part.ToolCall(ids.call(name), name, args == null ? "{}" : Json.write(args));
        }
        Map<String, Object> response = object(part, "functionResponse", at + ".functionResponse");
        if (response != null) {
            String name = requireString(response, "name", at + ".functionResponse.name");
            Map<String, Object> value = object(response, "response", at + ".functionResponse.response");
            boolean error = value != null && value.size() == 1 && value.containsKey("error");
            String text;
            if (value == null) {
                text = "";
            } else if (value.size() == 1 && value.get(error ? "error" : "result") instanceof String s) {
                text = s;
            } else {
                text = Json.write(value);
            }
            return new Part.ToolResult(ids.answer(name, at + ".functionResponse"), text, error);
        }
        throw new InvalidRequestException("Part " + part.keySet() + " cannot be translated", at);
    }

    private static String requireImageType(Map<String, Object> data, String at) {
        String type = requireString(data, "mimeType", at + ".mimeType");
        if (!type.startsWith("image/")) {
            throw new InvalidRequestException("Only images can be translated, not '" + type + "'", at + ".mimeType");
        }
        return type;
    }

    private static ToolChoice toolChoice(Map<String, Object> toolConfig) {
        Map<String, Object> config = toolConfig == null ? null
                : object(toolConfig, "functionCallingConfig", "toolConfig.functionCallingConfig");
        if (config == null) {
            return null;
        }
        String mode = string(config, "mode", "toolConfig.functionCallingConfig.mode");
        List<String> allowed = strings(array(config, "allowedFunctionNames", "toolConfig.functionCallingConfig.allowedFunctionNames"));
        return switch (mode == null ? "AUTO" : mode) {
            case "AUTO", "MODE_UNSPECIFIED" -> ToolChoice.of(ToolChoice.Mode.AUTO);
            case "NONE" -> ToolChoice.of(ToolChoice.Mode.NONE);
            case "ANY" -> switch (allowed.size()) {
                case 0 -> ToolChoice.of(ToolChoice.Mode.REQUIRED);
                case 1 -> ToolChoice.named(allowed.getFirst());
                default -> throw new InvalidRequestException("Several allowedFunctionNames cannot be translated",
                        "toolConfig.functionCallingConfig.allowedFunctionNames");
            };
            default -> throw new InvalidRequestException("Function calling mode '" + mode + "' cannot be translated",
                    "toolConfig.functionCallingConfig.mode");
        };
    }

    private static List<String> strings(List<Object> values) {
        List<String> out = new ArrayList<>();
        for (Object value : values) {
            if (!(value instanceof String s)) {
                throw new InvalidRequestException("'stopSequences' must be a list of strings", "generationConfig.stopSequences");
            }
            out.add(s);
        }
        return out;
    }

    private static String requireString(Map<String, Object> json, String key, String at) {
        String value = string(json, key, at);
        if (value == null) {
            throw new InvalidRequestException("'" + at + "' is required", at);
        }
        return value;
    }

    /**
     * Encodes a canonical request as a {@code generateContent} body, without the model: tool results become user
     * turns of {@code functionResponse} parts, and consecutive turns of the same Gemini role are merged.
     */
    @Override
    public byte[] encodeRequest(ChatRequest request) {
        Map<String, Object> json = new LinkedHashMap<>();
        if (!request.system().isEmpty()) {
            List<Object> parts = new ArrayList<>();
            for (Part part : request.system()) {
                if (!(part instanceof Part.Text text)) {
                    throw new InvalidRequestException(
                            "Gemini takes only text in 'systemInstruction', not a " + part.getClass().getSimpleName() + " part", "system");
                }
                parts.add(object("text", text.text()));
            }
            json.put("systemInstruction", object("parts", parts));
        }
        Map<String, String> toolNames = new HashMap<>();
        List<Object> contents = new ArrayList<>();
        Map<String, Object> last = null;
        for (int i = 0; i < request.messages().size(); i++) {
            Message message = request.messages().get(i);
            String role = message.role() == Role.ASSISTANT ? "model" : "user";
            List<Object> parts = parts(message, "messages[" + i + "]", toolNames);
            if (parts.isEmpty()) {
                continue;
            }
            if (last != null && role.equals(last.get("role"))) {
                @SuppressWarnings("unchecked")
                List<Object> merged = (List<Object>) last.get("parts");
                merged.addAll(parts);
            } else {
                last = object("role", role, "parts", parts);
                contents.add(last);
            }
        }
        json.put("contents", contents);
        if (!request.tools().isEmpty()) {
            List<Object> declarations = new ArrayList<>();
            for (Tool tool : request.tools()) {
                declarations.add(object("name", tool.name(), "description", tool.description(),
                        "parameters", tool.parametersSchemaJson() == null ? null
                                : Json.parse(tool.parametersSchemaJson(), "tools." + tool.name() + ".parameters")));
            }
            json.put("tools", List.of(object("functionDeclarations", declarations)));
        }
        if (request.toolChoice() != null) {
            Map<String, Object> config = object("mode", switch (request.toolChoice().mode()) {
                case AUTO -> "AUTO";
                case NONE -> "NONE";
                case REQUIRED, NAMED -> "ANY";
            });
            if (request.toolChoice().mode() == ToolChoice.Mode.NAMED) {
                config.put("allowedFunctionNames", List.of(request.toolChoice().name()));
            }
            json.put("toolConfig", object("functionCallingConfig", config));
        }
        Map<String, Object> generation = object("maxOutputTokens", request.maxTokens(),
                "temperature", request.temperature(), "topP", request.topP(),
                "stopSequences", request.stop().isEmpty() ? null : request.stop());
        if (!generation.isEmpty()) {
            json.put("generationConfig", generation);
        }
        return Json.writeBytes(json);
    }

    private static List<Object> parts(Message message, String at, Map<String, String> toolNames) {
        boolean model = message.role() == Role.ASSISTANT;
        List<Object> parts = new ArrayList<>();
        for (int j = 0; j < message.content().size(); j++) {
            Part part = message.content().get(j);
            String partAt = at + ".content[" + j + "]";
            switch (part) {
                case Part.Text text -> parts.add(object("text", text.text()));
                case Part.Image image when !model -> parts.add(image.url() != null
                        ? object("fileData", object("mimeType", guessImageType(image.url()), "fileUri", image.url()))
                        : object("inlineData", object("mimeType", image.mediaType(), "data", image.base64Data())));
                case Part.ToolCall call when model -> {
                    if (call.id() != null) {
                        toolNames.put(call.id(), call.name());
                    }
                    Object args = Json.parse(call.argumentsJson(), partAt + ".arguments");
                    if (!(args instanceof Map)) {
                        throw new InvalidRequestException("Tool-call arguments must be a JSON object", partAt + ".arguments");
                    }
                    parts.add(object("functionCall", object("name", call.name(), "args", args)));
                }
                case Part.ToolResult result when !model -> {
                    String name = toolNames.get(result.toolCallId());
                    if (name == null) {
                        throw new InvalidRequestException("Gemini needs the tool's name: no earlier tool call has id '"
                                + result.toolCallId() + "'", partAt);
                    }
                    parts.add(object("functionResponse", object("name", name, "response", response(result))));
                }
                default -> throw new InvalidRequestException("Gemini cannot take a " + part.getClass().getSimpleName()
                        + " part in " + (model ? "a model" : "a user") + " turn", partAt);
            }
        }
        return parts;
    }

    private static Map<String, Object> response(Part.ToolResult result) {
        Object parsed = null;
        String text = result.text().strip();
        if (text.startsWith("{")) {
            try {
                parsed = Json.parse(text, "tool result");
            } catch (InvalidRequestException notJson) {
                parsed = null;
            }
        }
        if (parsed instanceof Map<?, ?> map && !result.isError()) {
            return Json.cast(map);
        }
        return object(result.isError() ? "error" : "result", parsed != null ? parsed : result.text());
    }

    /** Gemini needs a media type for a file; the URL's extension is the only clue. */
    static String guessImageType(String url) {
        String path = url.toLowerCase(Locale.ROOT);
        int end = path.length();
        for (char c : new char[]{'?', '#'}) {
            int i = path.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        path = path.substring(0, end);
        if (path.endsWith(".png")) {
            return "image/png";
        }
        if (path.endsWith(".webp")) {
            return "image/webp";
        }
        if (path.endsWith(".gif")) {
            return "image/gif";
        }
        if (path.endsWith(".heic")) {
            return "image/heic";
        }
        if (path.endsWith(".heif")) {
            return "image/heif";
        }
        return "image/jpeg";
    }

    // --------------------------------------------------------------------------------------------- responses

    /** Decodes a {@code GenerateContentResponse}; only the first candidate is kept, thought parts are dropped. */
    @Override
    public ChatResponse decodeResponse(byte[] body) {
        return Upstream.decode(PROVIDER, () -> {
            Map<String, Object> json = Json.parseObject(body, "body");
            failOnError(json);
            List<Part> content = new ArrayList<>();
            StopReason reason;
            Map<String, Object> candidate = firstCandidate(json);
            if (candidate == null) {
                Map<String, Object> feedback = object(json, "promptFeedback", "promptFeedback");
                reason = feedback != null && feedback.get("blockReason") != null ? StopReason.CONTENT_FILTER : StopReason.END_TURN;
            } else {
                int calls = 0;
                for (Map<String, Object> part : candidateParts(candidate)) {
                    if (Boolean.TRUE.equals(part.get("thought"))) {
                        continue;
                    }
                    if (part.get("text") instanceof String text) {
                        if (!content.isEmpty() && content.getLast() instanceof Part.Text previous) {
                            content.set(content.size() - 1, new Part.Text(previous.text() + text));
                        } else {
                            content.add(new Part.Text(text));
                        }
                    } else if (part.get("functionCall") instanceof Map<?, ?> call) {
                        content.add(toolCall(Json.cast(call), calls++));
                    }
                }
                reason = calls > 0 ? StopReason.TOOL_USE
                        : stopReason(string(candidate, "finishReason", "candidates[0].finishReason"));
            }
            String id = string(json, "responseId", "responseId");
            return new ChatResponse(id != null ? id : newId(), string(json, "modelVersion", "modelVersion"), content,
                    reason, usage(object(json, "usageMetadata", "usageMetadata")));
        });
    }

    private static void failOnError(Map<String, Object> json) {
        if (json.get("error") instanceof Map<?, ?> error) {
            throw new UpstreamProtocolException(PROVIDER, "Error: " + error.get("status") + ": " + error.get("message"));
        }
    }

    private static Map<String, Object> firstCandidate(Map<String, Object> json) {
        List<Object> candidates = array(json, "candidates", "candidates");
        return candidates.isEmpty() ? null : asObject(candidates.getFirst(), "candidates[0]");
    }

    private static List<Map<String, Object>> candidateParts(Map<String, Object> candidate) {
        Map<String, Object> content = object(candidate, "content", "candidates[0].content");
        List<Map<String, Object>> parts = new ArrayList<>();
        if (content != null) {
            for (Object part : array(content, "parts", "candidates[0].content.parts")) {
                parts.add(asObject(part, "candidates[0].content.parts[]"));
            }
        }
        return parts;
    }

    private static Part.ToolCall toolCall(Map<String, Object> call, int n) {
        Object args = call.get("args");
        return new Part.ToolCall("call_" + n, requireString(call, "name", "functionCall.name"),
                args == null ? "{}" : Json.write(args));
    }

    private static String newId() {
        return "gen-" + UUID.randomUUID().toString().replace("-", "");
    }

    /** Encodes a canonical answer as a {@code GenerateContentResponse} with one candidate. */
    @Override
    public byte[] encodeResponse(ChatResponse response) {
        List<Object> parts = new ArrayList<>();
        for (Part part : response.content()) {
            switch (part) {
                case Part.Text text -> parts.add(object("text", text.text()));
                case Part.ToolCall call -> parts.add(object("functionCall", object("name", call.name(),
                        "args", Json.parse(call.argumentsJson(), "content.arguments"))));
                default -> throw new IllegalArgumentException("not an answer part: " + part);
            }
        }
        return Json.writeBytes(object("candidates", List.of(object("content", object("role", "model", "parts", parts),
                        "finishReason", finishReason(response.stopReason()), "index", 0)),
                "usageMetadata", usage(response.usage()), "modelVersion", response.model(), "responseId", response.id()));
    }

    static StopReason stopReason(String finishReason) {
        if (finishReason == null) {
            return StopReason.END_TURN;
        }
        return switch (finishReason) {
            case "MAX_TOKENS" -> StopReason.MAX_TOKENS;
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY",
                 "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION" -> StopReason.CONTENT_FILTER;
            default -> StopReason.END_TURN; // STOP, OTHER, LANGUAGE, MALFORMED_FUNCTION_CALL, FINISH_REASON_UNSPECIFIED
        };
    }

    /** Gemini says {@code STOP} for a natural end, a stop sequence and a function call alike. */
    static String finishReason(StopReason reason) {
        return switch (reason == null ? StopReason.END_TURN : reason) {
            case END_TURN, STOP_SEQUENCE, TOOL_USE -> "STOP";
            case MAX_TOKENS -> "MAX_TOKENS";
            case CONTENT_FILTER -> "SAFETY";
        };
    }

    /** Prompt tokens include cached ones; canonical output tokens include thoughts, which Gemini counts apart. */
    static Usage usage(Map<String, Object> usage) {
        if (usage == null) {
            return Usage.ZERO;
        }
        long thoughts = Json.count(usage, "thoughtsTokenCount");
        return new Usage(Json.count(usage, "promptTokenCount") + Json.count(usage, "toolUsePromptTokenCount"),
                Json.count(usage, "candidatesTokenCount") + thoughts, Json.count(usage, "cachedContentTokenCount"), thoughts);
    }

    static Map<String, Object> usage(Usage usage) {
        Map<String, Object> json = object("promptTokenCount", usage.inputTokens(),
                "candidatesTokenCount", usage.outputTokens() - usage.reasoningTokens(),
                "totalTokenCount", usage.inputTokens() + usage.outputTokens());
        if (usage.cachedInputTokens() != 0) {
            json.put("cachedContentTokenCount", usage.cachedInputTokens());
        }
        if (usage.reasoningTokens() != 0) {
            json.put("thoughtsTokenCount", usage.reasoningTokens());
        }
        return json;
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
     * Turns the unnamed events of {@code streamGenerateContent?alt=sse}, each a whole {@code GenerateContentResponse},
     * into canonical events: consecutive text shares one part index, each function call gets its own part with its
     * whole arguments in one fragment, and the event carrying a finish reason ends the answer with the latest usage.
     */
    public static final class StreamDecoder implements EventDecoder {

        private boolean started;
        private boolean finished;
        private int parts;
        private Integer textIndex;
        private int calls;
        private Usage usage = Usage.ZERO;

        private StreamDecoder() {
        }

        /** The canonical events one stream event stands for, possibly none. */
        @Override
        public List<ChatEvent> decode(SseEvent event) {
            if (finished || event.data().isBlank()) {
                return List.of();
            }
            return Upstream.decode(PROVIDER, () -> decode(Json.parseObject(event.data().getBytes(StandardCharsets.UTF_8), "event")));
        }

        private List<ChatEvent> decode(Map<String, Object> json) {
            failOnError(json);
            List<ChatEvent> out = new ArrayList<>();
            if (!started) {
                started = true;
                String id = string(json, "responseId", "responseId");
                out.add(new ChatEvent.Started(id != null ? id : newId(), string(json, "modelVersion", "modelVersion")));
            }
            Map<String, Object> rawUsage = object(json, "usageMetadata", "usageMetadata");
            if (rawUsage != null) {
                usage = usage(rawUsage);
            }
            Map<String, Object> candidate = firstCandidate(json);
            if (candidate == null) {
                Map<String, Object> feedback = object(json, "promptFeedback", "promptFeedback");
                if (feedback != null && feedback.get("blockReason") != null) {
                    finished = true;
                    out.add(new ChatEvent.Finished(StopReason.CONTENT_FILTER, usage));
                }
                return out;
            }
            for (Map<String, Object> part : candidateParts(candidate)) {
                if (Boolean.TRUE.equals(part.get("thought"))) {
                    continue;
                }
                if (part.get("text") instanceof String text) {
                    if (textIndex == null) {
                        textIndex = parts++;
                    }
                    if (!text.isEmpty()) {
                        out.add(new ChatEvent.TextDelta(textIndex, text));
                    }
                } else if (part.get("functionCall") instanceof Map<?, ?> rawCall) {
                    Part.ToolCall call = toolCall(Json.cast(rawCall), calls++);
                    int index = parts++;
                    textIndex = null;
                    out.add(new ChatEvent.ToolCallStarted(index, call.id(), call.name()));
                    out.add(new ChatEvent.ToolCallArguments(index, call.argumentsJson()));
                }
            }
            String finishReason = string(candidate, "finishReason", "candidates[0].finishReason");
            if (finishReason != null) {
                finished = true;
                out.add(new ChatEvent.Finished(calls > 0 ? StopReason.TOOL_USE : stopReason(finishReason), usage));
            }
            return out;
        }
    }

    /**
     * Turns canonical events into unnamed {@code data:} events of {@code GenerateContentResponse} chunks: text is sent
     * as it comes, a function call once its arguments are whole (when the next part starts or the answer finishes),
     * and the last chunk carries the finish reason and usage.
     */
    public static final class StreamEncoder implements EventEncoder {

        private String id;
        private String model;
        private String callName;
        private StringBuilder callArguments;

        private StreamEncoder() {
        }

        /** The events for one canonical event, in order. */
        @Override
        public List<SseEvent> encode(ChatEvent event) {
            List<SseEvent> out = new ArrayList<>();
            switch (event) {
                case ChatEvent.Started started -> {
                    id = started.id();
                    model = started.model();
                }
                case ChatEvent.TextDelta text -> {
                    flushCall(out);
                    out.add(chunk(List.of(object("text", text.text())), null, null));
                }
                case ChatEvent.ToolCallStarted call -> {
                    flushCall(out);
                    callName = call.name();
                    callArguments = new StringBuilder();
                }
                case ChatEvent.ToolCallArguments arguments -> {
                    if (callArguments != null) {
                        callArguments.append(arguments.jsonFragment());
                    }
                }
                case ChatEvent.Finished finished -> {
                    List<Object> parts = new ArrayList<>();
                    Object call = pendingCall();
                    parts.add(call != null ? call : object("text", ""));
                    out.add(chunk(parts, finishReason(finished.reason()), usage(finished.usage())));
                }
            }
            return out;
        }

        private Object pendingCall() {
            if (callName == null) {
                return null;
            }
            String arguments = callArguments.isEmpty() ? "{}" : callArguments.toString();
            Object call = object("functionCall", object("name", callName, "args",
                    Upstream.decode(PROVIDER, () -> Json.parse(arguments, "arguments"))));
            callName = null;
            callArguments = null;
            return call;
        }

        private void flushCall(List<SseEvent> out) {
            Object call = pendingCall();
            if (call != null) {
                out.add(chunk(List.of(call), null, null));
            }
        }

        private SseEvent chunk(List<Object> parts, String finishReason, Map<String, Object> usage) {
            Map<String, Object> candidate = object("content", object("role", "model", "parts", parts),
                    "finishReason", finishReason, "index", 0);
            return SseEvent.data(Json.write(object("candidates", List.of(candidate), "usageMetadata", usage,
                    "modelVersion", model, "responseId", id)));
        }
    }
}
