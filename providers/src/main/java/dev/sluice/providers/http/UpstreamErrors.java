package dev.sluice.providers.http;

import dev.sluice.core.error.ProviderException;
import dev.sluice.core.error.SecretScrubber;
import dev.sluice.core.error.UpstreamBusyException;
import dev.sluice.core.error.UpstreamTimeoutException;
import dev.sluice.core.error.UpstreamUnavailableException;
import io.netty.channel.ChannelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.internal.shaded.reactor.pool.PoolAcquirePendingLimitException;
import reactor.netty.internal.shaded.reactor.pool.PoolAcquireTimeoutException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** Turns what the transport throws into the core's provider errors, once, for every HTTP provider. */
public final class UpstreamErrors {

    private static final Logger log = LoggerFactory.getLogger(UpstreamErrors.class);
    private static final int MAX_LOGGED_CHARS = 2000;

    private UpstreamErrors() {
    }

    /**
     * The provider error for a transport failure: unreachable or dropped (refused, reset, closed early) is
     * a 502, a Reactor timeout a 504. Provider errors pass unchanged, and anything else too, because it is
     * a bug to surface rather than an upstream outage to hide. The transport's own text names internal hosts and
     * ports: it is logged in full (without secrets) and passed on without them.
     */
    public static Throwable map(String provider, Duration timeout, Throwable error, SecretScrubber scrubber) {
        if (error instanceof ProviderException) {
            return error;
        }
        // Before time-outs: waiting too long for a pooled connection is this gateway's capacity, not the provider's pace.
        if (error instanceof PoolAcquirePendingLimitException) {
            return new UpstreamBusyException(provider, "too many calls are already waiting for one", error);
        }
        if (error instanceof PoolAcquireTimeoutException) {
            return new UpstreamBusyException(provider, "none came free in time", error);
        }
        if (error instanceof TimeoutException) {
            return new UpstreamTimeoutException(provider, "provider '" + provider + "' did not answer within " + seconds(timeout));
        }
        if (error instanceof IOException || error instanceof ChannelException) {
            String described = describe(error);
            log.warn("provider '{}' could not be reached: {}", provider, scrubber.forLog(described));
            return new UpstreamUnavailableException(provider, "provider '" + provider + "' could not be reached: "
                    + scrubber.forCaller(described), error);
        }
        return error;
    }

    /** An error body as text for a log line, cut at a length a log line can hold. */
    static String shortened(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return text.length() > MAX_LOGGED_CHARS ? text.substring(0, MAX_LOGGED_CHARS) + "..." : text;
    }

    private static String seconds(Duration timeout) {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        return message == null ? error.getClass().getSimpleName() : message;
    }
}
