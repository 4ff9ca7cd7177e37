package dev.sluice.core.internal.governance;

import dev.sluice.core.keys.VirtualKey;
import org.jspecify.annotations.Nullable;

/**
 * A caller that passed the checks for one request: its key (or none, for an anonymous caller), which the
 * answer's usage is then charged to.
 *
 * @param key the resolved virtual key, or {@code null} for an anonymous caller
 */
public record Admission(@Nullable VirtualKey key) {

    static final Admission ANONYMOUS = new Admission(null);

    public boolean anonymous() {
        return key == null;
    }

    /** The id of the key, or {@code null}: what jobs, files and batches are owned by. */
    public @Nullable String ownerId() {
        return key == null ? null : key.id();
    }
}
