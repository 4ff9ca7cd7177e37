package dev.sluice.server.config;

import java.util.regex.Pattern;

/**
 * The {@code store:} section: where virtual keys and usage are kept.
 *
 * @param url            an R2DBC URL; an embedded H2 file by default, {@code r2dbc:postgresql://USER@HOST:PORT/DB}
 *                       in production. It may hold a password, so no message repeats it.
 * @param maxConnections the connection pool's size
 */
public record StoreSettings(String url, int maxConnections) {

    public static final String DEFAULT_URL = "r2dbc:h2:file:///./data/sluice";
    public static final int DEFAULT_MAX_CONNECTIONS = 10;
    /** {@code //user:password@} in the authority. */
    private static final Pattern USER_PASSWORD = Pattern.compile("(//[^/@:?#]*):[^/?#]*@");
    /** {@code password=...} among the query options. */
    private static final Pattern PASSWORD_OPTION = Pattern.compile("((?:[?&;])password=)[^&;]*", Pattern.CASE_INSENSITIVE);
    static final String URL_PREFIX = "r2dbc:";
    static final String URL_EXPECTED = "a URL starting with " + URL_PREFIX + " such as " + DEFAULT_URL
            + " or r2dbc:postgresql://USER@HOST:PORT/DB";

    public StoreSettings {
        if (url == null || !url.startsWith(URL_PREFIX) || url.length() == URL_PREFIX.length()) {
            throw new IllegalArgumentException("store.url: not an R2DBC URL (expected: " + URL_EXPECTED + ")");
        }
        if (maxConnections <= 0) {
            throw new IllegalArgumentException("store.max_connections: " + maxConnections + " (expected: > 0)");
        }
    }

    public static StoreSettings defaults() {
        return new StoreSettings(DEFAULT_URL, DEFAULT_MAX_CONNECTIONS);
    }

    /** The URL with any password in it replaced by {@code ***}, for logs. */
    public String redactedUrl() {
        return PASSWORD_OPTION.matcher(USER_PASSWORD.matcher(url).replaceFirst("$1:***@")).replaceAll("$1***");
    }

    /** Shows the URL redacted. */
    @Override
    public String toString() {
        return "StoreSettings[url=" + redactedUrl() + ", maxConnections=" + maxConnections + "]";
    }
}
