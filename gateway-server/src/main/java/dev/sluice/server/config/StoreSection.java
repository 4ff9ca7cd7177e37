package dev.sluice.server.config;

import java.util.List;

/** Reads the {@code store:} section; every key is optional. */
final class StoreSection {

    static final String NAME = "store";
    private static final List<String> KEYS = List.of("max_connections", "url");

    private StoreSection() {
    }

    static StoreSettings read(ConfigNode root) {
        return root.map(NAME).map(StoreSection::read0).orElseGet(StoreSettings::defaults);
    }

    private static StoreSettings read0(ConfigNode store) {
        store.requireOnly(KEYS);
        // The URL may carry a password (r2dbc:postgresql://user:secret@host/db), so it is never repeated.
        String url = store.secret("url").map(String::strip).orElse(StoreSettings.DEFAULT_URL);
        if (url.isEmpty()) {
            throw store.problem("url", "empty (expected: " + StoreSettings.URL_EXPECTED + "; leave the key out for the default)");
        }
        if (!url.startsWith(StoreSettings.URL_PREFIX)) {
            throw store.problem("url", "not an R2DBC URL (expected: " + StoreSettings.URL_EXPECTED + ")");
        }
        int maxConnections = store.positiveInteger("max_connections", StoreSettings.DEFAULT_MAX_CONNECTIONS);
        return store.validated(() -> new StoreSettings(url, maxConnections));
    }
}
