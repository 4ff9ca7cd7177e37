package dev.sluice.server.config;

import dev.sluice.core.routing.ModelPattern;

import java.util.ArrayList;
import java.util.List;

/** Globs over {@code provider/model}, as virtual keys' allowed models and pricing entries use them. */
final class ModelGlobs {

    static final String EXPECTED = "provider/model such as openai/gpt-4o-mini, or a glob such as openai/* or *";
    /** Bounds that keep a key's list within what the store keeps (one text of 100,000 characters, a line per glob). */
    static final int MAX_GLOBS = 256;
    static final int MAX_GLOB_LENGTH = 255;

    private ModelGlobs() {
    }

    /** The list at {@code key}, each checked with {@link #of}; empty when the key is absent. */
    static List<ModelPattern> read(ConfigNode node, String key) {
        List<String> texts = node.strings(key);
        if (texts.size() > MAX_GLOBS) {
            throw node.problem(key, texts.size() + " globs (expected: at most " + MAX_GLOBS + ")");
        }
        List<ModelPattern> patterns = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            patterns.add(of(texts.get(i), ConfigNode.elementPath(node.pathOf(key), i), node));
        }
        return patterns;
    }

    /**
     * A name without {@code *} must contain a {@code /}: it is matched against {@code provider/model}, so
     * {@code gpt-4o} alone would silently never match anything.
     */
    static ModelPattern of(String text, String path, ConfigNode at) {
        if (text.isBlank() || (!text.contains("*") && !text.contains("/"))) {
            throw at.problemAt(path, ConfigNode.describe(text) + " (expected: " + EXPECTED + ")");
        }
        if (text.length() > MAX_GLOB_LENGTH) {
            throw at.problemAt(path, text.length() + " characters (expected: at most " + MAX_GLOB_LENGTH + ")");
        }
        if (text.chars().anyMatch(Character::isISOControl)) {
            throw at.problemAt(path, ConfigNode.describe(text) + " (expected: no control characters)");
        }
        return ModelPattern.of(text);
    }
}
