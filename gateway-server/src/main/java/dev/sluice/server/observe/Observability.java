package dev.sluice.server.observe;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * What a server reports about itself: the registry {@code GET /metrics} shows (the engine records into it too when
 * it was built with it), and where access-log lines go.
 *
 * @param registry  the Prometheus registry
 * @param accessLog receives each JSON access-log line on a writer thread of its own; {@code null} for no access log
 */
public record Observability(PrometheusMeterRegistry registry, Consumer<String> accessLog) {

    public Observability {
        Objects.requireNonNull(registry, "registry");
    }

    /** A new registry, and access-log lines on standard output when {@code accessLog} is set. */
    public static Observability standard(boolean accessLog) {
        // System.out is read at each line, not now, so that a redirected standard output is followed.
        return new Observability(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), accessLog ? line -> System.out.println(line) : null);
    }
}
