package dev.sluice.core.format.gemini;

import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.format.chat.ChatRequest;
import dev.sluice.core.format.chat.Message;
import dev.sluice.core.format.chat.Part;
import dev.sluice.core.format.chat.Role;
import dev.sluice.core.format.chat.Tool;
import dev.sluice.core.format.chat.ToolChoice;
import dev.sluice.core.format.json.Json;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.sluice.core.format.json.Json.array;
import static dev.sluice.core.format.json.Json.asObject;
import static dev.sluice.core.format.json.Json.object;
import static dev.sluice.core.format.json.Json.requireString;
import static dev.sluice.core.format.json.Json.string;

/**
 * {@code generateContent} request bodies to and from the canonical chat request. The model and whether to stream are in
 * Gemini's URL, so the body carries neither.
 */
final class GeminiChatRequests {

    private GeminiChatRequests() {
    }

    /**
     * Decodes a {@code generateContent} request body; {@code model} and {@code stream} come from the URL. Function
     * responses are matched to the earliest unanswered function call of the same name.
     */
    static ChatRequest decode(byte[] body, String model, boolean stream) {
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
        GeminiCallIds ids = new GeminiCallIds();
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

    /** One part, or null for a part the canonical model drops (thoughts). */
    private static Part part(Map<String, Object> part, String at, GeminiCallIds ids) {
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

    /**
     * Encodes a canonical request as a {@code generateContent} body, without the model: tool results become user
     * turns of {@code functionResponse} parts, and consecutive turns of the same Gemini role are merged.
     */
    static byte[] encode(ChatRequest request) {
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
}
