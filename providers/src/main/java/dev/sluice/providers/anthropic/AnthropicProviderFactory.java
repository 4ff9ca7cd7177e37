package dev.sluice.providers.anthropic;

import dev.sluice.core.provider.ProviderAdapter;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.ProviderContext;
import dev.sluice.core.provider.ProviderFactory;

/** Builds adapters for {@code type: anthropic}: Anthropic's Messages API, spoken natively. */
public final class AnthropicProviderFactory implements ProviderFactory {

    @Override
    public String type() {
        return "anthropic";
    }

    @Override
    public ProviderAdapter create(ProviderConfig config, ProviderContext context) {
        return new AnthropicAdapter(config, context);
    }
}
