package dev.sluice.benchmarks.jmh;

import dev.sluice.core.format.Operation;
import dev.sluice.core.format.RequestBody;
import dev.sluice.core.internal.routing.Provider;
import dev.sluice.core.internal.routing.Route;
import dev.sluice.core.internal.routing.Router;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.ProviderKey;
import dev.sluice.core.request.Caller;
import dev.sluice.core.request.GatewayRequest;
import dev.sluice.core.routing.ModelPattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Choosing where a request goes: the provider by its {@code provider/} prefix or by catalogue, then one of the
 * provider's keys by weight among those whose model patterns serve the model. Eight providers, the chosen one
 * with four keys of different weights and patterns.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RoutingBenchmark {

    private Router router;
    private GatewayRequest prefixed;
    private GatewayRequest byCatalogue;

    @Setup
    public void setUp() {
        List<Provider> providers = new ArrayList<>();
        for (String name : List.of("groq", "mistral", "together", "deepseek", "openrouter", "ollama", "vllm")) {
            providers.add(new Provider(ProviderConfig.builder(name, "openai").models(List.of(name + "-model-a", name + "-model-b"))
                    .key(ProviderKey.of("k", "secret-" + name)).build(), null));
        }
        providers.add(new Provider(ProviderConfig.builder("openai", "openai")
                .models(List.of("gpt-4o", "gpt-4o-mini", "text-embedding-3-small"))
                .key(new ProviderKey("primary", "sk-1", 3, List.of(ModelPattern.of("*"))))
                .key(new ProviderKey("minis", "sk-2", 2, List.of(ModelPattern.of("gpt-4o-mini*"))))
                .key(new ProviderKey("embeddings", "sk-3", 1, List.of(ModelPattern.of("text-embedding-*"))))
                .key(new ProviderKey("backup", "sk-4", 1, List.of(ModelPattern.of("gpt-4o*"))))
                .build(), null));
        router = new Router(providers);
        prefixed = GatewayRequest.of(Operation.CHAT_COMPLETIONS,
                RequestBody.parse(Fixtures.openAiChat("openai/gpt-4o-mini", 512, false)), Caller.anonymous());
        byCatalogue = GatewayRequest.of(Operation.CHAT_COMPLETIONS,
                RequestBody.parse(Fixtures.openAiChat("gpt-4o-mini", 512, false)), Caller.anonymous());
    }

    @Benchmark
    public ProviderKey routeByPrefixAndPickKey() {
        Route route = router.route(prefixed);
        return route.provider().pickKey(route.model());
    }

    @Benchmark
    public ProviderKey routeByCatalogueAndPickKey() {
        Route route = router.route(byCatalogue);
        return route.provider().pickKey(route.model());
    }
}
