package dev.sluice.server.config;

import org.jspecify.annotations.Nullable;

/**
 * The {@code auth:} section.
 *
 * @param adminToken        the bearer token that guards {@code /api/*}; {@code null} turns the admin API off
 *                          (it answers 404). Blank text counts as {@code null}, so {@code ${SLUICE_ADMIN_TOKEN:-}}
 *                          with the variable unset leaves it off.
 * @param requireVirtualKey whether inference without a virtual key is refused with 401
 */
public record AuthSettings(@Nullable String adminToken, boolean requireVirtualKey) {

    public AuthSettings {
        adminToken = adminToken == null || adminToken.isBlank() ? null : adminToken;
    }

    /** The admin API off, virtual keys optional. */
    public static AuthSettings defaults() {
        return new AuthSettings(null, false);
    }

    public boolean adminApiEnabled() {
        return adminToken != null;
    }

    /** Never shows the token. */
    @Override
    public String toString() {
        return "AuthSettings[adminToken=" + (adminToken == null ? "(none)" : "(set)")
                + ", requireVirtualKey=" + requireVirtualKey + "]";
    }
}
