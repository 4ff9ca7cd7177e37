package dev.sluice.benchmarks.upstream;

import java.util.Map;

/**
 * How the mock upstream answers: the delay before the first byte, the gap between stream chunks, how many
 * chunks a stream has, the size of a unary answer's content, and the share of requests answered with an error.
 * The command line sets the defaults; a request may override them with leading path segments such as
 * {@code /latency_ms=20/chunk_gap_ms=5/v1/chat/completions}, so that one process serves several profiles
 * (a gateway provider or an nginx location then only differs by its base URL).
 *
 * @param latencyMs    delay before the status line, in milliseconds
 * @param chunkGapMs   delay between two stream events, in milliseconds
 * @param chunks       content chunks in a stream (before the usage chunk and {@code [DONE]})
 * @param contentBytes size of a unary answer's message content
 * @param errorRate    share of requests, 0 to 1, answered with {@code errorStatus} and an OpenAI error envelope
 * @param errorStatus  the status of those answers
 */
public record UpstreamSettings(int latencyMs, int chunkGapMs, int chunks, int contentBytes, double errorRate, int errorStatus) {

    public static final UpstreamSettings DEFAULTS = new UpstreamSettings(0, 0, 16, 64, 0.0, 500);

    public UpstreamSettings {
        check("latency_ms", latencyMs, 0, 600_000);
        check("chunk_gap_ms", chunkGapMs, 0, 60_000);
        check("chunks", chunks, 1, 100_000);
        check("content_bytes", contentBytes, 1, 64 * 1024 * 1024);
        check("error_status", errorStatus, 400, 599);
        if (!(errorRate >= 0.0 && errorRate <= 1.0)) {
            throw new IllegalArgumentException("error_rate: " + errorRate + " (expected: between 0 and 1)");
        }
    }

    private static void check(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: " + min + " to " + max + ")");
        }
    }

    /** These settings with one named setting changed; the names are those of the command line without {@code --}. */
    public UpstreamSettings with(String name, String value) {
        try {
            return switch (name) {
                case "latency_ms" -> new UpstreamSettings(Integer.parseInt(value), chunkGapMs, chunks, contentBytes, errorRate, errorStatus);
                case "chunk_gap_ms" -> new UpstreamSettings(latencyMs, Integer.parseInt(value), chunks, contentBytes, errorRate, errorStatus);
                case "chunks" -> new UpstreamSettings(latencyMs, chunkGapMs, Integer.parseInt(value), contentBytes, errorRate, errorStatus);
                case "content_bytes" -> new UpstreamSettings(latencyMs, chunkGapMs, chunks, Integer.parseInt(value), errorRate, errorStatus);
                case "error_rate" -> new UpstreamSettings(latencyMs, chunkGapMs, chunks, contentBytes, Double.parseDouble(value), errorStatus);
                case "error_status" -> new UpstreamSettings(latencyMs, chunkGapMs, chunks, contentBytes, errorRate, Integer.parseInt(value));
                default -> throw new IllegalArgumentException(name + ": unknown setting (expected one of " + String.join(", ", NAMES.keySet()) + ")");
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": \"" + value + "\" (expected: a number)");
        }
    }

    /** The settings and what each means, for {@code --help}. */
    static final Map<String, String> NAMES = new java.util.LinkedHashMap<>();

    static {
        NAMES.put("latency_ms", "delay before the first byte (default 0)");
        NAMES.put("chunk_gap_ms", "delay between stream events (default 0)");
        NAMES.put("chunks", "content chunks per stream (default 16)");
        NAMES.put("content_bytes", "size of a unary answer's content (default 64)");
        NAMES.put("error_rate", "share of requests answered with an error, 0 to 1 (default 0)");
        NAMES.put("error_status", "status of those errors (default 500)");
    }
}
