package dev.sluice.core.format.gemini;

import dev.sluice.core.error.InvalidRequestException;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Synthesised call ids of one request, and its calls not answered yet by name: Gemini gives function calls no id and
 * matches a function response to its call by name only.
 */
final class GeminiCallIds {

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
