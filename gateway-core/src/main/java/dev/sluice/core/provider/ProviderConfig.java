package dev.sluice.core.provider;

import dev.sluice.core.resilience.CircuitBreakerSettings;
import dev.sluice.core.resilience.RetryPolicy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How one provider is set up: the name callers use in {@code provider/model}, its type (which
 * {@link ProviderFactory} builds it), where it lives, its keys and its type-specific options, and how its calls are
 * timed, retried and circuit-broken. Immutable; {@link Builder#build()} validates and names the bad value.
 *
 * @param timeout           time to the first byte of an answer (a unary answer's headers, a stream's first event)
 * @param connectTimeout    time to open a connection
 * @param requestTimeout    time for a whole request to this provider, its retries and their waits included
 * @param streamIdleTimeout longest silence between two events of a stream, once it has started
 * @param retry             how failed calls are tried again
 * @param circuitBreaker    when a failing key is taken out of rotation
 * @param connections       how connections to it are pooled, and which HTTP version they speak
 */
public record ProviderConfig(
        String name,
        String type,
        String baseUrl,
        Duration timeout,
        List<String> models,
        List<ProviderKey> keys,
        Map<String, Object> options,
        Duration connectTimeout,
        Duration requestTimeout,
        Duration streamIdleTimeout,
        RetryPolicy retry,
        CircuitBreakerSettings circuitBreaker,
        UpstreamConnections connections) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(600);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_STREAM_IDLE_TIMEOUT = Duration.ofSeconds(300);
    public static final int DEFAULT_MAX_CONNECTIONS = UpstreamConnections.DEFAULT_MAX_CONNECTIONS;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    public ProviderConfig {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("provider name: \"" + name + "\" (expected: letters, digits, '.', '_' or '-', no '/')");
        }
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("providers." + name + ".type: missing (expected: a provider type such as openai or mock)");
        }
        positive(name, "first_byte_timeout_seconds", timeout);
        positive(name, "connect_timeout_seconds", connectTimeout);
        positive(name, "request_timeout_seconds", requestTimeout);
        positive(name, "stream_idle_timeout_seconds", streamIdleTimeout);
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(circuitBreaker, "circuitBreaker");
        Objects.requireNonNull(connections, "connections");
        models = List.copyOf(models);
        keys = List.copyOf(keys);
        options = Map.copyOf(options);
    }

    private static void positive(String name, String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("providers." + name + "." + key + ": " + value + " (expected: > 0)");
        }
    }

    /** The most connections open to this provider at once. */
    public int maxConnections() {
        return connections.maxConnections();
    }

    public static Builder builder(String name, String type) {
        return new Builder(name, type);
    }

    /**
     * A whole-number type-specific option, or the fallback when it is not set.
     *
     * @throws IllegalArgumentException when the value is not a whole number of at least {@code min}
     */
    public int intOption(String option, int fallback, int min) {
        Object value = options.get(option);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Integer number) || number < min) {
            throw new IllegalArgumentException("providers." + name + "." + option + ": " + value + " (expected: a whole number >= " + min + ")");
        }
        return number;
    }

    /** Builds a {@link ProviderConfig}; every setter is optional but the name and type. */
    public static final class Builder {
        private final String name;
        private final String type;
        private String baseUrl;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration firstByteTimeout;
        private Duration requestTimeout;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration streamIdleTimeout = DEFAULT_STREAM_IDLE_TIMEOUT;
        private RetryPolicy retry = RetryPolicy.DEFAULT;
        private CircuitBreakerSettings circuitBreaker = CircuitBreakerSettings.DEFAULT;
        private UpstreamConnections connections = UpstreamConnections.DEFAULTS;
        private final List<String> models = new ArrayList<>();
        private final List<ProviderKey> keys = new ArrayList<>();
        private final Map<String, Object> options = new LinkedHashMap<>();

        private Builder(String name, String type) {
            this.name = name;
            this.type = type;
        }

        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        /** The time to the first byte, and for a whole request, unless they are set on their own. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder firstByteTimeout(Duration firstByteTimeout) {
            this.firstByteTimeout = firstByteTimeout;
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder streamIdleTimeout(Duration streamIdleTimeout) {
            this.streamIdleTimeout = streamIdleTimeout;
            return this;
        }

        public Builder retry(RetryPolicy retry) {
            this.retry = retry;
            return this;
        }

        public Builder circuitBreaker(CircuitBreakerSettings circuitBreaker) {
            this.circuitBreaker = circuitBreaker;
            return this;
        }

        public Builder maxConnections(int maxConnections) {
            if (maxConnections <= 0) {
                throw new IllegalArgumentException("providers." + name + ".max_connections: " + maxConnections + " (expected: > 0)");
            }
            this.connections = connections.withMaxConnections(maxConnections);
            return this;
        }

        public Builder connections(UpstreamConnections connections) {
            this.connections = Objects.requireNonNull(connections, "connections");
            return this;
        }

        public Builder models(List<String> models) {
            this.models.addAll(models);
            return this;
        }

        public Builder key(ProviderKey key) {
            this.keys.add(key);
            return this;
        }

        public Builder option(String option, Object value) {
            this.options.put(option, value);
            return this;
        }

        public ProviderConfig build() {
            return new ProviderConfig(name, type, baseUrl, firstByteTimeout != null ? firstByteTimeout : timeout,
                    models, keys, options, connectTimeout, requestTimeout != null ? requestTimeout : timeout, streamIdleTimeout,
                    retry, circuitBreaker, connections);
        }
    }
}
