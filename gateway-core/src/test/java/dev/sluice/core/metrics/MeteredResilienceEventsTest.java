package dev.sluice.core.metrics;

import dev.sluice.core.error.UpstreamStatusException;
import dev.sluice.core.resilience.ResilienceEvents;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Retries, key rotations and fallbacks are counted by provider, and the application's own listener still hears them. */
class MeteredResilienceEventsTest {

    @Test
    void countsWhatResilienceDidAndPassesItOn() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<String> heard = new CopyOnWriteArrayList<>();
        ResilienceEvents application = new ResilienceEvents() {
            @Override
            public void onFallback(String from, String to, int index, Throwable cause) {
                heard.add(from + " -> " + to);
            }
        };
        ResilienceEvents events = GatewayMetrics.of(registry, List.of()).resilience(application);
        UpstreamStatusException tooMany = new UpstreamStatusException("openai", 429, new byte[0], null);

        events.onRetry("openai", "gpt-4o", 2, Duration.ofMillis(500), tooMany);
        events.onRetry("openai", "gpt-4o", 3, Duration.ofSeconds(1), tooMany);
        events.onKeyRotated("openai", "main", tooMany);
        events.onFallback("openai/gpt-4o", "anthropic/claude-sonnet-4", 1, tooMany);

        assertThat(registry.counter(MetricNames.RETRIES, "provider", "openai", "reason", "rate_limited").count()).isEqualTo(2);
        assertThat(registry.counter(MetricNames.KEY_ROTATIONS, "provider", "openai").count()).isEqualTo(1);
        assertThat(registry.counter(MetricNames.FALLBACKS, "provider", "openai", "fallback", "anthropic").count()).isEqualTo(1);
        assertThat(heard).containsExactly("openai/gpt-4o -> anthropic/claude-sonnet-4");
        assertThat(GatewayMetrics.of(null, List.of()).resilience(application)).isSameAs(application);
    }
}
