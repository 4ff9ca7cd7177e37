package dev.sluice.benchmarks.jmh;

import java.nio.charset.StandardCharsets;

/** Request bodies shared by the benchmarks, built here so that no benchmark depends on a test resource. */
final class Fixtures {

    private Fixtures() {
    }

    /**
     * An OpenAI chat request with a system prompt, a few turns, sampling options and one tool, padded with
     * conversation history until it is about {@code approxBytes} long.
     */
    static byte[] openAiChat(String model, int approxBytes, boolean stream) {
        StringBuilder history = new StringBuilder();
        int turn = 0;
        while (history.length() < approxBytes - 700) {
            String role = turn % 2 == 0 ? "user" : "assistant";
            history.append("{\"role\":\"").append(role).append("\",\"content\":\"Turn ").append(turn)
                    .append(": tell me more about reactive gateways and how they relay \\\"streams\\\" of tokens.\"},");
            turn++;
        }
        return ("{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"temperature\":0.2,\"max_tokens\":512,"
                + "\"messages\":[{\"role\":\"system\",\"content\":\"You are a terse assistant.\"}," + history
                + "{\"role\":\"user\",\"content\":\"What is the weather in Paris?\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"Current weather\","
                + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}],"
                + "\"user\":\"bench\",\"metadata\":{\"team\":\"benchmarks\"}}").getBytes(StandardCharsets.UTF_8);
    }

    /** An OpenAI chat completion answer with {@code words} words of content and usage. */
    static byte[] openAiAnswer(int words) {
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < words; i++) {
            content.append("word").append(i).append(' ');
        }
        return ("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"gpt-4o-mini\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + content + "\"},"
                + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":42,\"completion_tokens\":" + words
                + ",\"total_tokens\":" + (42 + words) + "}}").getBytes(StandardCharsets.UTF_8);
    }

}
