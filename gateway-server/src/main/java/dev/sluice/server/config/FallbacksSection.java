package dev.sluice.server.config;

import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.resilience.FallbackDefaults;
import dev.sluice.core.routing.ModelPattern;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@code fallbacks:} section: for requests that name no fallbacks of their own, which {@code provider/model}
 * targets to try, in order, when their model fails; by {@code provider/model} glob, first match wins.
 */
final class FallbacksSection {

    static final String NAME = "fallbacks";
    private static final String EXPECTED_TARGETS = "a list of provider/model names such as [anthropic/claude-sonnet-4]";

    private FallbacksSection() {
    }

    static FallbackDefaults read(ConfigNode root, List<ProviderConfig> providers) {
        ConfigNode fallbacks = root.map(NAME).orElse(null);
        if (fallbacks == null || fallbacks.keys().isEmpty()) {
            return FallbackDefaults.NONE;
        }
        List<String> names = providers.stream().map(ProviderConfig::name).toList();
        List<FallbackDefaults.Entry> entries = new ArrayList<>();
        for (String glob : fallbacks.keys()) {
            ModelPattern model = ModelGlobs.of(glob, fallbacks.pathOf(glob), fallbacks);
            Object raw = fallbacks.raw(glob);
            if (!(raw instanceof List<?>)) {
                throw fallbacks.problem(glob, (raw == null ? "empty" : ConfigNode.describe(raw)) + " (expected: " + EXPECTED_TARGETS + ")");
            }
            List<String> targets = fallbacks.strings(glob);
            for (int i = 0; i < targets.size(); i++) {
                String target = targets.get(i);
                int slash = target.indexOf('/');
                if (slash <= 0 || slash == target.length() - 1 || !names.contains(target.substring(0, slash))) {
                    throw fallbacks.problemAt(ConfigNode.elementPath(fallbacks.pathOf(glob), i), ConfigNode.describe(target)
                            + " (expected: provider/model with a configured provider: " + String.join(", ", names) + ")");
                }
            }
            entries.add(new FallbackDefaults.Entry(model, targets));
        }
        return new FallbackDefaults(entries);
    }
}
