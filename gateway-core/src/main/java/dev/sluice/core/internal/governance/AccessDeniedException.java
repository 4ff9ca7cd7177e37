package dev.sluice.core.internal.governance;

import dev.sluice.core.error.GatewayException;
import org.jspecify.annotations.Nullable;

import java.time.Duration;

/** A governance decision against the caller; its {@code type} names the decision. */
public final class AccessDeniedException extends GatewayException {

    private final @Nullable Duration retryAfter;

    private AccessDeniedException(int status, String type, String message, @Nullable Duration retryAfter) {
        super(status, type, type, null, message);
        this.retryAfter = retryAfter;
    }

    public static AccessDeniedException keyNotFound() {
        return new AccessDeniedException(401, "virtual_key_not_found", "The virtual key is not known to this gateway.", null);
    }

    public static AccessDeniedException keyRequired() {
        return new AccessDeniedException(401, "virtual_key_required",
                "This gateway requires a virtual key: send it as 'x-bf-vk' or 'Authorization: Bearer sk-bf-...'.", null);
    }

    public static AccessDeniedException keyBlocked(String name, String why) {
        return new AccessDeniedException(403, "virtual_key_blocked", "Virtual key '" + name + "' is " + why + ".", null);
    }

    public static AccessDeniedException modelBlocked(String name, String model) {
        return new AccessDeniedException(403, "model_blocked", "Virtual key '" + name + "' may not use model '" + model + "'.", null);
    }

    public static AccessDeniedException rateLimited(String name, String what, Duration retryAfter) {
        return new AccessDeniedException(429, "rate_limited",
                "Virtual key '" + name + "' is over its " + what + " limit; retry after " + Math.max(1, retryAfter.toSeconds()) + "s.", retryAfter);
    }

    public static AccessDeniedException budgetExceeded(String name, double maxUsd) {
        return new AccessDeniedException(402, "budget_exceeded",
                "Virtual key '" + name + "' has used its budget of $" + maxUsd + " for this period.", null);
    }

    /** How long to wait before a retry may pass, for a rate limit; {@code null} (no {@code Retry-After}) otherwise. */
    @Override
    public @Nullable Duration retryAfter() {
        return retryAfter;
    }
}
