package dev.sluice.core.routing;

import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.format.Operation;
import dev.sluice.core.format.RequestBody;
import dev.sluice.core.internal.routing.Provider;
import dev.sluice.core.internal.routing.Route;
import dev.sluice.core.internal.routing.Router;
import dev.sluice.core.provider.ProviderAdapter;
import dev.sluice.core.provider.ProviderCall;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.ProviderKey;
import dev.sluice.core.request.Caller;
import dev.sluice.core.request.GatewayRequest;
import dev.sluice.core.sse.SseEvent;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RouterTest {

    private static final ProviderAdapter NO_CALLS = new ProviderAdapter() {
        @Override
        public Mono<byte[]> call(ProviderCall call) {
            return Mono.error(new UnsupportedOperationException());
        }

        @Override
        public Flux<SseEvent> stream(ProviderCall call) {
            return Flux.error(new UnsupportedOperationException());
        }
    };

    private final Provider openai = provider(ProviderConfig.builder("openai", "openai").models(List.of("gpt-4o-mini"))
            .key(new ProviderKey("big", "k1", 3, List.of(ModelPattern.of("*"))))
            .key(new ProviderKey("small", "k2", 1, List.of(ModelPattern.of("*"))))
            .key(new ProviderKey("o-only", "k3", 1, List.of(ModelPattern.of("o3*")))));
    private final Provider openrouter = provider(ProviderConfig.builder("openrouter", "openai"));
    private final Router router = new Router(List.of(openai, openrouter));

    @Test
    void splitsAtTheFirstSlash() {
        Route route = router.route(request("openrouter/meta/llama-3", null));

        assertThat(route.provider()).isSameAs(openrouter);
        assertThat(route.model()).isEqualTo("meta/llama-3");
    }

    @Test
    void routesAnUnprefixedModelByCatalogue() {
        assertThat(router.route(request("gpt-4o-mini", null)).provider()).isSameAs(openai);
    }

    @Test
    void routesAnUnprefixedModelByANarrowKeyPattern() {
        assertThat(router.route(request("o3-mini", null)).provider()).isSameAs(openai);
    }

    @Test
    void routesAnUnprefixedModelToTheRoutesDefaultProvider() {
        Route route = router.route(request("meta/llama-3", "openrouter"));

        assertThat(route.provider()).isSameAs(openrouter);
        assertThat(route.model()).isEqualTo("meta/llama-3");
    }

    @Test
    void refusesAnUnknownProviderNamingTheConfiguredOnes() {
        assertThatThrownBy(() -> router.route(request("anthropic/claude", null)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Unknown provider 'anthropic' in model 'anthropic/claude'. Configured providers: openai, openrouter.");
    }

    @Test
    void refusesAnUnlistedUnprefixedModel() {
        assertThatThrownBy(() -> router.route(request("llama", null))).hasMessageContaining("no configured provider lists it");
    }

    @Test
    void refusesDuplicateProviderNames() {
        assertThatThrownBy(() -> new Router(List.of(openai, openai))).hasMessageContaining("openai is declared twice");
    }

    @Test
    void picksKeysByWeightAmongThoseThatServeTheModel() {
        Map<String, Integer> picks = new HashMap<>();
        for (int i = 0; i < 4000; i++) {
            picks.merge(openai.pickKey("gpt-4o").name(), 1, Integer::sum);
        }

        assertThat(picks).containsOnlyKeys("big", "small");
        assertThat(picks.get("big")).isBetween(2700, 3300);
    }

    @Test
    void refusesWhenNoKeyServesTheModel() {
        Provider narrow = provider(ProviderConfig.builder("narrow", "openai")
                .key(new ProviderKey("k", "v", 1, List.of(ModelPattern.of("gpt-4*")))));

        assertThatThrownBy(() -> narrow.pickKey("o1")).hasMessage("No key of provider 'narrow' may serve model 'o1'.");
    }

    @Test
    void providerWithoutKeysSendsNone() {
        assertThat(openrouter.pickKey("anything")).isNull();
    }

    @Test
    void keyToStringNeverShowsTheValue() {
        assertThat(ProviderKey.of("primary", "sk-secret-value").toString()).doesNotContain("sk-secret-value");
    }

    private static Provider provider(ProviderConfig.Builder config) {
        return new Provider(config.build(), NO_CALLS);
    }

    private static GatewayRequest request(String model, String defaultProvider) {
        byte[] body = ("{\"model\":\"" + model + "\"}").getBytes(StandardCharsets.UTF_8);
        return new GatewayRequest(Operation.CHAT_COMPLETIONS, RequestBody.parse(body), defaultProvider, Caller.anonymous());
    }
}
