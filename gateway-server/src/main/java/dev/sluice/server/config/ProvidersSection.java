package dev.sluice.server.config;

import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.UpstreamConnections;
import dev.sluice.core.provider.ProviderFactories;
import dev.sluice.core.provider.ProviderFactory;
import dev.sluice.core.provider.ProviderKey;
import dev.sluice.core.resilience.CircuitBreakerSettings;
import dev.sluice.core.resilience.RetryPolicy;
import dev.sluice.core.routing.ModelPattern;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Reads the {@code providers:} section: a map from the name callers use to that provider's settings. */
final class ProvidersSection {

    static final String NAME = "providers";
    /** Keys every provider accepts; a type's own options are added after them. */
    static final List<String> COMMON_KEYS = List.of("acquire_timeout_ms", "base_url", "circuit_breaker", "connect_timeout_seconds",
            "first_byte_timeout_seconds", "http_version", "keys", "max_connections", "max_pending", "max_streams_per_connection", "models",
            "request_timeout_seconds", "retry", "stream_idle_timeout_seconds", "timeout_seconds", "type");
    private static final List<String> RETRY_KEYS = List.of("initial_backoff_ms", "max_attempts", "max_backoff_ms");
    private static final List<String> CIRCUIT_KEYS = List.of("auth_open_seconds", "failure_threshold", "open_seconds");
    private static final List<String> KEY_KEYS = List.of("models", "name", "value", "weight");
    private static final Pattern INT = Pattern.compile("-?[0-9]{1,10}");

    private final ProviderFactories factories;

    ProvidersSection(ProviderFactories factories) {
        this.factories = factories;
    }

    List<ProviderConfig> read(ConfigNode root) {
        ConfigNode providers = root.map(NAME)
                .filter(node -> !node.keys().isEmpty())
                .orElseThrow(() -> root.problem(NAME, "missing (expected: at least one provider)"));
        List<ProviderConfig> configs = new ArrayList<>();
        for (String name : providers.keys()) {
            ConfigNode provider = providers.map(name)
                    .orElseThrow(() -> providers.problem(name, "empty (expected: a map with at least type:)"));
            configs.add(provider(name, provider));
        }
        return configs;
    }

    private ProviderConfig provider(String name, ConfigNode node) {
        String type = node.string("type").orElseThrow(() -> node.problem("type", "missing (expected one of: " + knownTypes() + ")"));
        ProviderFactory factory = factories.get(type);
        if (factory == null) {
            throw node.problem("type", ConfigNode.describe(type) + " (expected one of: " + knownTypes() + ")");
        }
        List<String> options = factory.optionNames().stream().sorted().toList();
        node.requireOnly(Stream.concat(COMMON_KEYS.stream(), options.stream()).toList());

        ProviderConfig.Builder builder = ProviderConfig.builder(name, type)
                .baseUrl(node.string("base_url").map(url -> checkedUrl(node, url)).orElse(null))
                .timeout(Durations.seconds(node, "timeout_seconds", false).orElse(ProviderConfig.DEFAULT_TIMEOUT))
                .firstByteTimeout(Durations.seconds(node, "first_byte_timeout_seconds", false).orElse(null))
                .requestTimeout(Durations.seconds(node, "request_timeout_seconds", false).orElse(null))
                .connectTimeout(Durations.seconds(node, "connect_timeout_seconds", false).orElse(ProviderConfig.DEFAULT_CONNECT_TIMEOUT))
                .streamIdleTimeout(Durations.seconds(node, "stream_idle_timeout_seconds", false).orElse(ProviderConfig.DEFAULT_STREAM_IDLE_TIMEOUT))
                .retry(retry(node))
                .circuitBreaker(circuitBreaker(node))
                .connections(connections(node))
                .models(node.strings("models"));
        keys(node).forEach(builder::key);
        for (String option : node.keys()) {
            Object value = node.raw(option);
            if (options.contains(option) && value != null) {
                builder.option(option, optionValue(value));
            }
        }
        return node.validated(builder::build);
    }

    private String knownTypes() {
        List<String> types = factories.types().stream().sorted().toList();
        return types.isEmpty() ? "none registered" : String.join(", ", types);
    }

    private static String checkedUrl(ConfigNode node, String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            if (("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) && uri.getHost() != null) {
                return url;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw node.problem("base_url", ConfigNode.describe(url) + " (expected: an http or https URL such as https://api.openai.com/v1)");
    }

    private static UpstreamConnections connections(ConfigNode node) {
        UpstreamConnections defaults = UpstreamConnections.DEFAULTS;
        String version = node.string("http_version").orElse(defaults.version().wire());
        int maxConnections = node.positiveInteger("max_connections", defaults.maxConnections());
        int streams = node.positiveInteger("max_streams_per_connection", defaults.maxStreamsPerConnection());
        // The wait queue follows the pool unless set: room for as many waiting calls as there are connections.
        int pending = node.integer("max_pending", maxConnections);
        int acquireMillis = node.integer("acquire_timeout_ms", (int) defaults.acquireTimeout().toMillis());
        return node.validatedFields(() -> new UpstreamConnections(UpstreamConnections.HttpVersion.of(version), maxConnections, streams,
                pending, Duration.ofMillis(acquireMillis)));
    }

    private static RetryPolicy retry(ConfigNode provider) {
        ConfigNode retry = provider.map("retry").orElse(null);
        if (retry == null) {
            return RetryPolicy.DEFAULT;
        }
        retry.requireOnly(RETRY_KEYS);
        RetryPolicy defaults = RetryPolicy.DEFAULT;
        int maxAttempts = retry.positiveInteger("max_attempts", defaults.maxAttempts());
        Duration initial = Durations.millis(retry, "initial_backoff_ms").orElse(defaults.initialBackoff());
        Duration max = Durations.millis(retry, "max_backoff_ms").orElse(initial.compareTo(defaults.maxBackoff()) > 0 ? initial : defaults.maxBackoff());
        return provider.validatedFields(() -> new RetryPolicy(maxAttempts, initial, max));
    }

    private static CircuitBreakerSettings circuitBreaker(ConfigNode provider) {
        ConfigNode circuit = provider.map("circuit_breaker").orElse(null);
        if (circuit == null) {
            return CircuitBreakerSettings.DEFAULT;
        }
        circuit.requireOnly(CIRCUIT_KEYS);
        CircuitBreakerSettings defaults = CircuitBreakerSettings.DEFAULT;
        int threshold = circuit.positiveInteger("failure_threshold", defaults.failureThreshold());
        Duration open = Durations.seconds(circuit, "open_seconds", false).orElse(defaults.openFor());
        Duration authOpen = Durations.seconds(circuit, "auth_open_seconds", false).orElse(defaults.authOpenFor());
        return provider.validatedFields(() -> new CircuitBreakerSettings(threshold, open, authOpen));
    }

    private static List<ProviderKey> keys(ConfigNode provider) {
        List<ProviderKey> keys = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<ConfigNode> nodes = provider.maps("keys");
        for (int i = 0; i < nodes.size(); i++) {
            ConfigNode node = nodes.get(i);
            node.requireOnly(KEY_KEYS);
            String name = node.string("name").orElse("key-" + (i + 1));
            if (!names.add(name)) {
                throw node.problem("name", ConfigNode.describe(name) + " (expected: a name no other key of this provider has)");
            }
            // Surrounding whitespace in a secret is a copy-and-paste accident (a trailing newline), never meant.
            String value = node.secret("value").orElseThrow(() -> node.problem("value",
                    "missing (expected: the API key, usually from the environment: ${SOME_API_KEY})")).strip();
            int weight = node.positiveInteger("weight", 1);
            List<ModelPattern> models = node.strings("models").stream().map(ModelPattern::of).toList();
            // An empty value means "this optional key is not configured here" (${KEY_2:-}), not an error.
            if (!value.isEmpty()) {
                keys.add(node.validated(() -> new ProviderKey(name, value, weight, models)));
            }
        }
        return keys;
    }

    /**
     * Type-specific options are opaque here, but {@code ${VAR}} substitution turns numbers into text, and
     * adapters read whole numbers with {@link ProviderConfig#intOption}, so whole-number text becomes an Integer.
     */
    private static Object optionValue(Object value) {
        if (value instanceof String text && INT.matcher(text.strip()).matches()) {
            long number = Long.parseLong(text.strip());
            if (number >= Integer.MIN_VALUE && number <= Integer.MAX_VALUE) {
                return (int) number;
            }
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, optionValue(v)));
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(ProvidersSection::optionValue).toList();
        }
        return value;
    }
}
