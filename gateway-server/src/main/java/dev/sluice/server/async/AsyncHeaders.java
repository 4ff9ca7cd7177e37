package dev.sluice.server.async;

import io.netty.handler.codec.http.HttpHeaders;

import java.time.Duration;
import java.util.Optional;

/** The headers of the async job contract, which clients built for the Bifrost async API already send. */
public final class AsyncHeaders {

    /** On an integration route, any non-empty value submits the request as a job. */
    public static final String ASYNC = "x-bf-async";
    /** On an integration route, retrieves the job with this id (the body is ignored). */
    public static final String ASYNC_ID = "x-bf-async-id";
    /**
     * Seconds to keep the result after completion; a missing, non-numeric or non-positive value means the default, and
     * one over the most a result is kept is refused (400).
     */
    public static final String RESULT_TTL = "x-bf-async-job-result-ttl";

    private AsyncHeaders() {
    }

    /** Whether the headers ask to submit the request as a job. */
    public static boolean asksAsync(HttpHeaders headers) {
        String value = headers.get(ASYNC);
        return value != null && !value.isBlank();
    }

    /** The job id of a retrieval; empty when the request retrieves nothing. */
    public static Optional<String> retrievedId(HttpHeaders headers) {
        String value = headers.get(ASYNC_ID);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    /**
     * The result TTL the submitter asked for; empty (the default) when absent or not a positive number. A
     * number too large for a {@code long} reads as the longest duration, for the job service to refuse.
     */
    public static Optional<Duration> resultTtl(HttpHeaders headers) {
        String value = headers.get(RESULT_TTL);
        if (value == null) {
            return Optional.empty();
        }
        String digits = value.strip();
        if (digits.isEmpty() || digits.length() > 64 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        try {
            long seconds = Long.parseLong(digits);
            return seconds > 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
        } catch (NumberFormatException tooLarge) {
            return Optional.of(Duration.ofSeconds(Long.MAX_VALUE));
        }
    }
}
