package dev.sluice.benchmarks.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bodies the mock upstream answers with, in OpenAI's wire format. Contents depend only on the settings, so they
 * are built once per size and reused: the mock must cost as little CPU as possible next to what it measures.
 */
final class MockAnswers {

    private static final long CREATED = 1_700_000_000L;
    private static final byte[] ERROR = ("{\"error\":{\"message\":\"mock upstream error (error_rate)\",\"type\":\"server_error\","
            + "\"param\":null,\"code\":\"mock_error\"}}").getBytes(StandardCharsets.UTF_8);

    private final ObjectMapper json;
    private final ConcurrentHashMap<Integer, String> contents = new ConcurrentHashMap<>();

    MockAnswers(ObjectMapper json) {
        this.json = json;
    }

    static byte[] error() {
        return ERROR.clone();
    }

    /** Content of about {@code bytes} bytes made of short words, so token counts look like a real answer's. */
    String content(int bytes) {
        return contents.computeIfAbsent(bytes, size -> {
            StringBuilder out = new StringBuilder(size + 8);
            String[] words = {"lorem", "ipsum", "dolor", "sit", "amet", "sluice", "gateway", "bench"};
            for (int i = 0; out.length() < size; i++) {
                out.append(words[i % words.length]).append(' ');
            }
            out.setLength(size);
            return out.toString();
        });
    }

    byte[] chat(String model, int contentBytes, int promptTokens) {
        String content = content(contentBytes);
        int completion = words(content);
        return ("{\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion\",\"created\":" + CREATED + ",\"model\":" + quote(model)
                + ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + quote(content)
                + "},\"finish_reason\":\"stop\"}]," + usage(promptTokens, completion) + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** The events of a chat stream, each already encoded as {@code data: ...\n\n}. */
    List<byte[]> chatStream(String model, int chunks, int promptTokens, boolean includeUsage) {
        List<byte[]> events = new ArrayList<>(chunks + 3);
        String head = "{\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion.chunk\",\"created\":" + CREATED + ",\"model\":" + quote(model)
                + ",\"choices\":[";
        for (int i = 0; i < chunks; i++) {
            String delta = i == 0 ? "{\"role\":\"assistant\",\"content\":\"tok" + i + " \"}" : "{\"content\":\"tok" + i + " \"}";
            events.add(data(head + "{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":null}]}"));
        }
        events.add(data(head + "{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}"));
        if (includeUsage) {
            events.add(data(head + "]," + usage(promptTokens, chunks) + "}"));
        }
        events.add(data("[DONE]"));
        return events;
    }

    byte[] response(String model, int contentBytes, int promptTokens) {
        return responseObject(model, content(contentBytes), promptTokens).getBytes(StandardCharsets.UTF_8);
    }

    /** The named events of a Responses stream: created, one text delta per chunk, completed. */
    List<byte[]> responseStream(String model, int chunks, int promptTokens) {
        List<byte[]> events = new ArrayList<>(chunks + 2);
        events.add(named("response.created", "{\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"resp_mock\","
                + "\"object\":\"response\",\"created_at\":" + CREATED + ",\"status\":\"in_progress\",\"model\":" + quote(model) + ",\"output\":[]}}"));
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < chunks; i++) {
            String delta = "tok" + i + " ";
            text.append(delta);
            events.add(named("response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"sequence_number\":" + (i + 1)
                    + ",\"item_id\":\"msg_mock\",\"output_index\":0,\"content_index\":0,\"delta\":" + quote(delta) + "}"));
        }
        events.add(named("response.completed", "{\"type\":\"response.completed\",\"sequence_number\":" + (chunks + 1)
                + ",\"response\":" + responseObject(model, text.toString(), promptTokens) + "}"));
        return events;
    }

    byte[] embeddings(String model, JsonNode input, int dimensions) {
        int count = input != null && input.isArray() ? Math.max(1, input.size()) : 1;
        ObjectNode out = json.createObjectNode().put("object", "list");
        ArrayNode data = out.putArray("data");
        for (int i = 0; i < count; i++) {
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            ArrayNode vector = item.putArray("embedding");
            double norm = Math.sqrt(dimensions);
            for (int d = 0; d < dimensions; d++) {
                vector.add(((d + i) % 2 == 0 ? 1 : -1) / norm);
            }
        }
        out.put("model", model);
        out.putObject("usage").put("prompt_tokens", count * 4).put("total_tokens", count * 4);
        try {
            return json.writeValueAsBytes(out);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    byte[] models() {
        return "{\"object\":\"list\",\"data\":[{\"id\":\"mock-model\",\"object\":\"model\",\"created\":1700000000,\"owned_by\":\"mock\"}]}"
                .getBytes(StandardCharsets.UTF_8);
    }

    private String responseObject(String model, String text, int promptTokens) {
        int output = words(text);
        return "{\"id\":\"resp_mock\",\"object\":\"response\",\"created_at\":" + CREATED + ",\"status\":\"completed\",\"model\":" + quote(model)
                + ",\"output\":[{\"type\":\"message\",\"id\":\"msg_mock\",\"status\":\"completed\",\"role\":\"assistant\",\"content\":"
                + "[{\"type\":\"output_text\",\"text\":" + quote(text) + ",\"annotations\":[]}]}],"
                + String.format(Locale.ROOT, "\"usage\":{\"input_tokens\":%d,\"output_tokens\":%d,\"total_tokens\":%d}}",
                promptTokens, output, promptTokens + output);
    }

    private static String usage(int prompt, int completion) {
        return "\"usage\":{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion + ",\"total_tokens\":" + (prompt + completion) + "}";
    }

    private static int words(String text) {
        int count = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            boolean space = text.charAt(i) == ' ';
            if (!space && !inWord) {
                count++;
            }
            inWord = !space;
        }
        return count;
    }

    private static byte[] data(String data) {
        return ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] named(String event, String data) {
        return ("event: " + event + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
