package dev.sluice.providers.http;

/** Where a provider lives: the configured base URL, or the provider's public one, without a trailing slash. */
public final class BaseUrls {

    private BaseUrls() {
    }

    public static String resolve(String configured, String fallback) {
        String url = configured == null || configured.isBlank() ? fallback : configured.trim();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
