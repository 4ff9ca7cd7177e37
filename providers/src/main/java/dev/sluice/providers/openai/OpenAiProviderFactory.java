package dev.sluice.providers.openai;

import dev.sluice.core.provider.ProviderAdapter;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.ProviderContext;
import dev.sluice.core.provider.ProviderFactory;

/** Builds adapters for {@code type: openai}: OpenAI itself and every API that speaks its wire format. */
public final class OpenAiProviderFactory implements ProviderFactory {

    @Override
    public String type() {
        return "openai";
    }

    @Override
    public ProviderAdapter create(ProviderConfig config, ProviderContext context) {
        return new OpenAiAdapter(config, context);
    }
}
