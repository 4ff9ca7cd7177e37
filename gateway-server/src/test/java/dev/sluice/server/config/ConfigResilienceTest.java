package dev.sluice.server.config;

import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.resilience.CircuitBreakerSettings;
import dev.sluice.core.resilience.RetryPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.sluice.server.config.TestFactories.loader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Retries, timeouts, circuit breaking, fallbacks and the shutdown grace, as the configuration file sets them. */
class ConfigResilienceTest {

    private static SluiceConfig parse(String yaml) {
        return loader(Map.of()).parse(yaml, "sluice.yaml");
    }

    @Test
    void defaultsToTwoRetriesAndTimeoutsDerivedFromTimeoutSeconds() {
        ProviderConfig demo = parse("providers: {demo: {type: mock, timeout_seconds: 42}}").providers().getFirst();

        assertThat(demo.retry()).isEqualTo(RetryPolicy.DEFAULT);
        assertThat(demo.retry().maxAttempts()).isEqualTo(3);
        assertThat(demo.timeout()).isEqualTo(Duration.ofSeconds(42));
        assertThat(demo.requestTimeout()).isEqualTo(Duration.ofSeconds(42));
        assertThat(demo.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(demo.streamIdleTimeout()).isEqualTo(Duration.ofSeconds(300));
        assertThat(demo.circuitBreaker()).isEqualTo(CircuitBreakerSettings.DEFAULT);
    }

    @Test
    void readsEverySetting() {
        SluiceConfig config = parse("""
                server: {shutdown_grace_seconds: 12.5}
                providers:
                  openai:
                    type: openai
                    timeout_seconds: 100
                    connect_timeout_seconds: 2
                    first_byte_timeout_seconds: 20
                    request_timeout_seconds: 120
                    stream_idle_timeout_seconds: 45
                    retry: {max_attempts: 5, initial_backoff_ms: 250, max_backoff_ms: 4000}
                    circuit_breaker: {failure_threshold: 7, open_seconds: 15, auth_open_seconds: 600}
                  anthropic: {type: openai}
                fallbacks:
                  "openai/gpt-4o*": [anthropic/claude-sonnet-4, openai/gpt-4o-mini]
                  "*": [openai/gpt-4o-mini]
                """);
        ProviderConfig openai = config.providers().getFirst();

        assertThat(config.server().shutdownGrace()).isEqualTo(Duration.ofMillis(12_500));
        assertThat(openai.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(openai.timeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(openai.requestTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(openai.streamIdleTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(openai.retry()).isEqualTo(new RetryPolicy(5, Duration.ofMillis(250), Duration.ofSeconds(4)));
        assertThat(openai.circuitBreaker()).isEqualTo(new CircuitBreakerSettings(7, Duration.ofSeconds(15), Duration.ofMinutes(10)));
        assertThat(config.fallbacks().of("openai/gpt-4o")).containsExactly("anthropic/claude-sonnet-4", "openai/gpt-4o-mini");
        assertThat(config.fallbacks().of("anthropic/claude-sonnet-4")).isEqualTo(List.of("openai/gpt-4o-mini"));
    }

    @Test
    void aRetryOfOneAttemptMeansNoRetry() {
        ProviderConfig demo = parse("providers: {demo: {type: mock, retry: {max_attempts: 1}}}").providers().getFirst();

        assertThat(demo.retry().maxAttempts()).isEqualTo(1);
    }

    @Test
    void namesTheBadValueAndItsPath() {
        assertThatThrownBy(() -> parse("providers: {demo: {type: mock, retry: {max_attempts: 0}}}"))
                .hasMessage("sluice.yaml: providers.demo.retry.max_attempts: 0 (expected: > 0)");
        assertThatThrownBy(() -> parse("providers: {demo: {type: mock, retry: {initial_backoff_ms: 900, max_backoff_ms: 100}}}"))
                .hasMessage("sluice.yaml: providers.demo.retry.max_backoff_ms: 100 (expected: >= initial_backoff_ms, 900)");
        assertThatThrownBy(() -> parse("providers: {demo: {type: mock, retry: {attempts: 2}}}"))
                .hasMessage("sluice.yaml: providers.demo.retry.attempts: unknown key (expected one of: initial_backoff_ms, max_attempts, max_backoff_ms)");
        assertThatThrownBy(() -> parse("providers: {demo: {type: mock, request_timeout_seconds: 0}}"))
                .hasMessage("sluice.yaml: providers.demo.request_timeout_seconds: 0 (expected: > 0)");
        assertThatThrownBy(() -> parse("providers: {demo: {type: mock, circuit_breaker: {open_seconds: -1}}}"))
                .hasMessage("sluice.yaml: providers.demo.circuit_breaker.open_seconds: -1 (expected: > 0)");
        assertThatThrownBy(() -> parse("server: {shutdown_grace_seconds: -3}\nproviders: {demo: {type: mock}}"))
                .hasMessage("sluice.yaml: server.shutdown_grace_seconds: -3 (expected: >= 0)");
    }

    @Test
    void refusesFallbacksToProvidersNotConfigured() {
        assertThatThrownBy(() -> parse("providers: {demo: {type: mock}}\nfallbacks: {\"demo/*\": [demo/echo, elsewhere/m]}"))
                .hasMessage("sluice.yaml: fallbacks.demo/*[1]: \"elsewhere/m\" (expected: provider/model with a configured provider: demo)");
        assertThatThrownBy(() -> parse("providers: {demo: {type: mock}}\nfallbacks: {\"demo/*\": demo/echo}"))
                .hasMessage("sluice.yaml: fallbacks.demo/*: \"demo/echo\" (expected: a list of provider/model names such as [anthropic/claude-sonnet-4])");
        assertThatThrownBy(() -> parse("providers: {demo: {type: mock}}\nfallbacks: {echo: [demo/echo]}"))
                .hasMessageStartingWith("sluice.yaml: fallbacks.echo: \"echo\" (expected: provider/model");
    }
}
