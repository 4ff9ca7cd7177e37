package dev.sluice.server.config;

import org.jspecify.annotations.Nullable;

/**
 * A configuration problem that stops start-up; the message names the source, the key path, the bad
 * value and what was expected: {@code sluice.yaml: server.port: "abc" (expected: a whole number)}.
 */
public final class ConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String source, String problem) {
        super(source + ": " + problem);
    }

    public ConfigException(String source, @Nullable String problem, Throwable cause) {
        super(source + ": " + problem, cause);
    }
}
