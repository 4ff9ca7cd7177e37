package dev.sluice.core.routing;

import java.util.Objects;
import java.util.regex.Pattern;

/** A model name pattern where {@code *} stands for any run of characters ({@code gpt-4o*}, {@code *}). */
public final class ModelPattern {

    private final String text;
    private final Pattern regex;

    private ModelPattern(String text) {
        this.text = text;
        this.regex = text.contains("*") ? compile(text) : null;
    }

    public static ModelPattern of(String text) {
        Objects.requireNonNull(text, "pattern");
        if (text.isBlank()) {
            throw new IllegalArgumentException("model pattern: \"\" (expected: a model name or a glob such as gpt-4o*)");
        }
        return new ModelPattern(text);
    }

    public boolean matches(String model) {
        return regex == null ? text.equals(model) : regex.matcher(model).matches();
    }

    /** Whether this pattern names one model exactly, rather than a family of them. */
    public boolean isExact() {
        return regex == null;
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ModelPattern pattern && pattern.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    private static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        for (String part : glob.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }
}
