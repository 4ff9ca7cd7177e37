package dev.sluice.core.resilience;

import dev.sluice.core.routing.ModelPattern;

import java.util.List;
import java.util.Objects;

/**
 * The fallbacks a request gets when it names none itself: by {@code provider/model} glob, the first entry that
 * matches the request's resolved target wins.
 */
public final class FallbackDefaults {

    /** No defaults: a request falls back only to what it names. */
    public static final FallbackDefaults NONE = new FallbackDefaults(List.of());

    /**
     * One rule.
     *
     * @param model   which {@code provider/model} targets it applies to ({@code openai/gpt-4o*})
     * @param targets the {@code provider/model} names to try, in order
     */
    public record Entry(ModelPattern model, List<String> targets) {
        public Entry {
            Objects.requireNonNull(model, "model");
            targets = List.copyOf(targets);
        }
    }

    private final List<Entry> entries;

    public FallbackDefaults(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The fallbacks of {@code provider/model}, in order; empty when no entry matches. */
    public List<String> of(String providerAndModel) {
        for (Entry entry : entries) {
            if (entry.model().matches(providerAndModel)) {
                return entry.targets();
            }
        }
        return List.of();
    }
}
