package dev.sluice.core.format.openai;

import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.format.chat.ChatRequest;
import dev.sluice.core.format.chat.ContentParts;
import dev.sluice.core.format.chat.Message;
import dev.sluice.core.format.chat.Part;
import dev.sluice.core.format.chat.Role;
import dev.sluice.core.format.chat.Tool;
import dev.sluice.core.format.chat.ToolChoice;
import dev.sluice.core.format.json.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.sluice.core.format.json.Json.array;
import static dev.sluice.core.format.json.Json.asObject;
import static dev.sluice.core.format.json.Json.object;
import static dev.sluice.core.format.json.Json.requireString;
import static dev.sluice.core.format.json.Json.string;

/**
 * Chat Completions request bodies to and from the canonical chat request. The assistant message's shape is the
 * same in a request's history and in an answer, so {@link OpenAiChatAnswers} reads and writes it through here.
 */
final class OpenAiChatRequests {

    private OpenAiChatRequests() {
    }

    /** Decodes a Chat Completions request body; what the canonical model cannot express is refused. */
    static ChatRequest decode(byte[] body) {
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

    /** A {@code tool_choice} given as a word, as both of OpenAI's APIs write it. */
    static ToolChoice toolChoiceMode(String mode) {
        return switch (mode) {
            case "auto" -> ToolChoice.of(ToolChoice.Mode.AUTO);
            case "none" -> ToolChoice.of(ToolChoice.Mode.NONE);
            case "required" -> ToolChoice.of(ToolChoice.Mode.REQUIRED);
            default -> throw new InvalidRequestException("Unknown tool_choice '" + mode + "'", "tool_choice");
        };
    }

    private static ToolChoice toolChoice(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof String mode) {
            return toolChoiceMode(mode);
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
        return ContentParts.read(content, at, "parts", (type, part, partAt, parts) -> {
            switch (type == null ? "" : type) {
                case "text" -> parts.add(new Part.Text(requireString(part, "text", partAt + ".text")));
                case "image_url" -> {
                    Map<String, Object> image = object(part, "image_url", partAt + ".image_url");
                    String url = image == null ? null : string(image, "url", partAt + ".image_url.url");
                    if (url == null) {
                        throw new InvalidRequestException("'" + partAt + ".image_url.url' is required", partAt + ".image_url.url");
                    }
                    parts.add(ImageUrls.decode(url, partAt + ".image_url.url"));
                }
                default -> throw new InvalidRequestException(
                        "Content part type '" + type + "' cannot be translated", partAt + ".type");
            }
        });
    }

    /** An assistant message's text and tool calls, as a request's history and an answer both hold them. */
    static List<Part> assistantParts(Map<String, Object> message, String at) {
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
    static byte[] encode(ChatRequest request) {
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
                        object("url", ImageUrls.encode(image))));
                default -> throw new InvalidRequestException(
                        "A " + part.getClass().getSimpleName() + " part cannot appear in '" + at + "'", at);
            }
        }
        return out;
    }

    /** An assistant message from its parts; its text is one string, or null when it has only tool calls. */
    static Map<String, Object> assistantMessage(List<Part> parts, String at) {
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
}
