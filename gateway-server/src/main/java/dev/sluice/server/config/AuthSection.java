package dev.sluice.server.config;

import java.util.List;

/** Reads the {@code auth:} section; every key is optional. */
final class AuthSection {

    static final String NAME = "auth";
    private static final List<String> KEYS = List.of("admin_token", "require_virtual_key");

    private AuthSection() {
    }

    static AuthSettings read(ConfigNode root) {
        return root.map(NAME).map(AuthSection::read0).orElseGet(AuthSettings::defaults);
    }

    private static AuthSettings read0(ConfigNode auth) {
        auth.requireOnly(KEYS);
        // Empty (usually ${SLUICE_ADMIN_TOKEN:-} with the variable unset) means the admin API is off.
        String adminToken = auth.secret("admin_token").map(String::strip).filter(token -> !token.isEmpty()).orElse(null);
        boolean requireVirtualKey = auth.bool("require_virtual_key", false);
        return new AuthSettings(adminToken, requireVirtualKey);
    }
}
