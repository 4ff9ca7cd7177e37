package dev.sluice.providers.gemini;

import dev.sluice.core.provider.ProviderAdapter;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.ProviderContext;
import dev.sluice.core.provider.ProviderFactory;

/** Builds adapters for {@code type: gemini}: Google's Gemini API, spoken natively. */
public final class GeminiProviderFactory implements ProviderFactory {

    @Override
    public String type() {
        return "gemini";
    }

    @Override
    public ProviderAdapter create(ProviderConfig config, ProviderContext context) {
        return new GeminiAdapter(config, context);
    }
}
