package dev.sluice.core.format.anthropic;

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
 * Messages request bodies to and from the canonical chat request. Content blocks have the same shape in a request and
 * in an answer, so {@link AnthropicChatAnswers} reads and writes them through here.
 */
final class AnthropicChatRequests {

    private AnthropicChatRequests() {
    }

    /** Decodes a Messages request body; what the canonical model cannot express is refused. */
    static ChatRequest decode(byte[] body) {
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
    static List<Part> blocks(Object content, String at, boolean toolsAllowed) {
        return ContentParts.read(content, at, "blocks", (type, block, blockAt, parts) -> {
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
        });
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

    /**
     * Encodes a canonical request as a Messages body: tool results and the user turn after them share one user
     * message, as Anthropic requires; a request without a token limit gets
     * {@link AnthropicChatCodec#DEFAULT_MAX_TOKENS}.
     */
    static byte[] encode(ChatRequest request) {
        Map<String, Object> json = object("model", request.model(),
                "max_tokens", request.maxTokens() != null ? request.maxTokens() : AnthropicChatCodec.DEFAULT_MAX_TOKENS);
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

    /** Content as blocks, turning a lone text's plain-string form back into one text block. */
    static List<Object> asBlocks(Object content) {
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

    /** Parts as Messages content: one text as a plain string, anything else as blocks. */
    static Object content(List<Part> parts, String at, boolean assistant) {
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
}
