package dev.sluice.server.config;

import java.util.List;

/** Reads the {@code async:} section; every key is optional. */
final class AsyncSection {

    static final String NAME = "async";
    private static final List<String> KEYS = List.of("lease_seconds", "max_attempts", "max_concurrency", "result_ttl_seconds");

    private AsyncSection() {
    }

    static AsyncSettings read(ConfigNode root) {
        return root.map(NAME).map(AsyncSection::read0).orElseGet(AsyncSettings::defaults);
    }

    private static AsyncSettings read0(ConfigNode async) {
        async.requireOnly(KEYS);
        int ttl = async.positiveInteger("result_ttl_seconds", AsyncSettings.DEFAULT_RESULT_TTL_SECONDS);
        int concurrency = async.positiveInteger("max_concurrency", AsyncSettings.DEFAULT_MAX_CONCURRENCY);
        int lease = async.positiveInteger("lease_seconds", AsyncSettings.DEFAULT_LEASE_SECONDS);
        int attempts = async.positiveInteger("max_attempts", AsyncSettings.DEFAULT_MAX_ATTEMPTS);
        return async.validated(() -> new AsyncSettings(ttl, concurrency, lease, attempts));
    }
}
