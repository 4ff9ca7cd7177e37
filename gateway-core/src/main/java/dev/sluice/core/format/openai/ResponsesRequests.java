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
import java.util.Locale;
import java.util.Map;

import static dev.sluice.core.format.json.Json.array;
import static dev.sluice.core.format.json.Json.asObject;
import static dev.sluice.core.format.json.Json.object;
import static dev.sluice.core.format.json.Json.string;

/**
 * Responses API request bodies to and from the canonical chat request. Input items become messages: function calls
 * join the assistant turn before them and function call outputs the tool turn before them, because Anthropic needs
 * one assistant turn holding all of a reply's tool calls, and the results together after it.
 */
final class ResponsesRequests {

    /** Fields whose meaning lives in OpenAI's own state, so no other provider can honour them. */
    private static final List<String> STATEFUL = List.of("previous_response_id", "conversation", "prompt");

    private ResponsesRequests() {
    }

    /**
     * Decodes a request; dropped as meaningless elsewhere: {@code store}, {@code metadata}, {@code parallel_tool_calls},
     * {@code user}, {@code reasoning}, {@code include}, {@code truncation}, {@code service_tier}, {@code background}
     * (the gateway runs it as a job) and reasoning items of earlier turns.
     */
    static ChatRequest decode(byte[] body, String model, boolean stream) {
        Map<String, Object> json = Json.parseObject(body, "body");
        for (String field : STATEFUL) {
            if (json.get(field) != null) {
                throw new InvalidRequestException("'" + field + "' refers to state kept by OpenAI and cannot be translated"
                        + " to another provider; send the whole conversation in 'input'", field);
            }
        }
        textFormat(object(json, "text", "text"));
        List<Part> system = new ArrayList<>();
        Object instructions = json.get("instructions");
        if (instructions instanceof String text) {
            system.add(new Part.Text(text));
        } else if (instructions != null) {
            throw new InvalidRequestException("'instructions' must be a string", "instructions");
        }
        List<Message> messages = new ArrayList<>();
        Object input = json.get("input");
        if (input instanceof String text) {
            messages.add(new Message(Role.USER, List.of(new Part.Text(text))));
        } else if (input instanceof List<?> items) {
            for (int i = 0; i < items.size(); i++) {
                item(asObject(items.get(i), "input[" + i + "]"), "input[" + i + "]", system, messages);
            }
        } else if (input != null) {
            throw new InvalidRequestException("'input' must be a string or an array of items", "input");
        }
        if (messages.isEmpty()) {
            throw new InvalidRequestException("'input' must hold at least one user or assistant item", "input");
        }
        return new ChatRequest(model, system, messages, tools(array(json, "tools", "tools")),
                toolChoice(json.get("tool_choice")), Json.integer(json, "max_output_tokens", "max_output_tokens"),
                Json.decimal(json, "temperature", "temperature"), Json.decimal(json, "top_p", "top_p"), List.of(), stream);
    }

    /** Plain text output is what every provider gives; a structured output format is not carried. */
    private static void textFormat(Map<String, Object> text) {
        Map<String, Object> format = text == null ? null : object(text, "format", "text.format");
        String type = format == null ? null : string(format, "type", "text.format.type");
        if (type != null && !type.equals("text")) {
            throw new InvalidRequestException("Output format '" + type + "' cannot be translated to another provider",
                    "text.format");
        }
    }

    private static void item(Map<String, Object> item, String at, List<Part> system, List<Message> messages) {
        String type = string(item, "type", at + ".type");
        switch (type == null ? "message" : type) {
            case "message" -> {
                String role = string(item, "role", at + ".role");
                switch (role == null ? "" : role) {
                    case "system", "developer" -> system.addAll(textOnly(parts(item.get("content"), at + ".content"), at + ".content"));
                    case "user" -> append(messages, Role.USER, parts(item.get("content"), at + ".content"));
                    case "assistant" -> append(messages, Role.ASSISTANT,
                            textOnly(parts(item.get("content"), at + ".content"), at + ".content"));
                    default -> throw new InvalidRequestException("Unsupported role '" + role + "'", at + ".role");
                }
            }
            case "function_call" -> append(messages, Role.ASSISTANT, List.of(new Part.ToolCall(
                    required(item, "call_id", at), required(item, "name", at), string(item, "arguments", at + ".arguments"))));
            case "function_call_output" -> append(messages, Role.TOOL, List.of(new Part.ToolResult(
                    required(item, "call_id", at), output(item.get("output"), at + ".output"), false)));
            // An earlier turn's reasoning is OpenAI's own, often encrypted: another provider can make nothing of it.
            case "reasoning" -> { }
            default -> throw new InvalidRequestException("Input items of type '" + type + "' cannot be translated"
                    + " to another provider", at + ".type");
        }
    }

    /** Consecutive items of one role make one turn, so that tool calls and their results stay together. */
    private static void append(List<Message> messages, Role role, List<Part> parts) {
        if (parts.isEmpty()) {
            return;
        }
        if (role != Role.USER && !messages.isEmpty() && messages.getLast().role() == role) {
            List<Part> merged = new ArrayList<>(messages.getLast().content());
            merged.addAll(parts);
            messages.set(messages.size() - 1, new Message(role, merged));
        } else {
            messages.add(new Message(role, parts));
        }
    }

    private static List<Part> parts(Object content, String at) {
        if (content == null) {
            throw new InvalidRequestException("'" + at + "' must be a string or an array of parts", at);
        }
        return ContentParts.read(content, at, "parts", (type, part, partAt, parts) -> {
            switch (type == null ? "" : type) {
                case "input_text", "output_text" -> parts.add(new Part.Text(required(part, "text", partAt)));
                case "input_image" -> {
                    if (part.get("file_id") != null) {
                        throw new InvalidRequestException("Images given by 'file_id' cannot be translated to another"
                                + " provider; give an image_url", partAt + ".file_id");
                    }
                    parts.add(ImageUrls.decode(required(part, "image_url", partAt), partAt + ".image_url"));
                }
                default -> throw new InvalidRequestException(
                        "Content part type '" + type + "' cannot be translated to another provider", partAt + ".type");
            }
        });
    }

    private static List<Part> textOnly(List<Part> parts, String at) {
        for (Part part : parts) {
            if (!(part instanceof Part.Text)) {
                throw new InvalidRequestException("Only text is allowed in '" + at + "'", at);
            }
        }
        return parts;
    }

    /** A function call's output: a string, or text parts, which are joined. */
    private static String output(Object output, String at) {
        if (output == null) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (Part part : textOnly(parts(output, at), at)) {
            text.append(((Part.Text) part).text());
        }
        return text.toString();
    }

    private static List<Tool> tools(List<Object> rawTools) {
        List<Tool> tools = new ArrayList<>();
        for (int i = 0; i < rawTools.size(); i++) {
            String at = "tools[" + i + "]";
            Map<String, Object> tool = asObject(rawTools.get(i), at);
            String type = string(tool, "type", at + ".type");
            if (!"function".equals(type)) {
                throw new InvalidRequestException("Tools of type '" + type + "' are OpenAI's own and cannot be"
                        + " translated to another provider; only function tools can", at + ".type");
            }
            Object parameters = tool.get("parameters");
            tools.add(new Tool(required(tool, "name", at), string(tool, "description", at + ".description"),
                    parameters == null ? null : Json.write(parameters)));
        }
        return tools;
    }

    private static ToolChoice toolChoice(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof String mode) {
            return OpenAiChatRequests.toolChoiceMode(mode);
        }
        Map<String, Object> choice = asObject(value, "tool_choice");
        String type = string(choice, "type", "tool_choice.type");
        if (!"function".equals(type)) {
            throw new InvalidRequestException("tool_choice of type '" + type + "' cannot be translated to another"
                    + " provider", "tool_choice.type");
        }
        return ToolChoice.named(required(choice, "name", "tool_choice"));
    }

    private static String required(Map<String, Object> json, String key, String at) {
        return Json.requireString(json, key, at + "." + key);
    }

    /**
     * Encodes a canonical request as a Responses body. Responses has no stop sequences, so a request with some is
     * refused rather than sent without them.
     */
    static byte[] encode(ChatRequest request) {
        if (!request.stop().isEmpty()) {
            throw new InvalidRequestException("The Responses API has no stop sequences", "stop");
        }
        Map<String, Object> json = object("model", request.model());
        List<Object> input = new ArrayList<>();
        // The first system text is the instructions; the others stay apart as developer messages, as they came.
        List<Part> system = textOnly(request.system(), "system");
        for (int i = 0; i < system.size(); i++) {
            String text = ((Part.Text) system.get(i)).text();
            if (i == 0) {
                json.put("instructions", text);
            } else {
                input.add(object("type", "message", "role", "developer", "content", text));
            }
        }
        for (int i = 0; i < request.messages().size(); i++) {
            message(request.messages().get(i), "messages[" + i + "]", input);
        }
        json.put("input", input);
        if (!request.tools().isEmpty()) {
            List<Object> tools = new ArrayList<>();
            for (Tool tool : request.tools()) {
                tools.add(object("type", "function", "name", tool.name(), "description", tool.description(),
                        "parameters", tool.parametersSchemaJson() == null ? null
                                : Json.parse(tool.parametersSchemaJson(), "tools." + tool.name() + ".parameters")));
            }
            json.put("tools", tools);
        }
        if (request.toolChoice() != null) {
            json.put("tool_choice", switch (request.toolChoice().mode()) {
                case AUTO -> "auto";
                case NONE -> "none";
                case REQUIRED -> "required";
                case NAMED -> object("type", "function", "name", request.toolChoice().name());
            });
        }
        json.putAll(object("max_output_tokens", request.maxTokens(), "temperature", request.temperature(),
                "top_p", request.topP()));
        if (request.stream()) {
            json.put("stream", true);
        }
        return Json.writeBytes(json);
    }

    private static void message(Message message, String at, List<Object> input) {
        List<Object> content = new ArrayList<>();
        for (Part part : message.content()) {
            switch (part) {
                case Part.Text text -> content.add(object("type",
                        message.role() == Role.ASSISTANT ? "output_text" : "input_text", "text", text.text()));
                case Part.Image image when message.role() == Role.USER -> content.add(object("type", "input_image",
                        "image_url", ImageUrls.encode(image)));
                case Part.ToolCall call when message.role() == Role.ASSISTANT -> {
                    flush(message.role(), content, input);
                    input.add(object("type", "function_call", "call_id", call.id(), "name", call.name(),
                            "arguments", call.argumentsJson()));
                }
                case Part.ToolResult result when message.role() != Role.ASSISTANT -> {
                    flush(message.role(), content, input);
                    input.add(object("type", "function_call_output", "call_id", result.toolCallId(),
                            "output", result.text()));
                }
                default -> throw new InvalidRequestException("A " + part.getClass().getSimpleName()
                        + " part cannot appear in a " + message.role().name().toLowerCase(Locale.ROOT) + " message", at);
            }
        }
        flush(message.role(), content, input);
    }

    /** Ends the message item being built, so that calls and results keep their place among the texts. */
    private static void flush(Role role, List<Object> content, List<Object> input) {
        if (!content.isEmpty()) {
            input.add(object("type", "message", "role", role == Role.ASSISTANT ? "assistant" : "user",
                    "content", new ArrayList<>(content)));
            content.clear();
        }
    }
}
