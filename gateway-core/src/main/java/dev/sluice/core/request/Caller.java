package dev.sluice.core.request;

/**
 * Who is calling: the virtual key value a caller presented, or, for work the gateway runs later on a
 * caller's behalf (async jobs, batch lines), the id of the key that submitted it; or nobody.
 *
 * @param virtualKey the {@code sk-bf-...} value presented, or {@code null}
 * @param keyId      the id of an already identified key, or {@code null}
 */
public record Caller(String virtualKey, String keyId) {

    private static final Caller ANONYMOUS = new Caller(null, null);

    public static Caller anonymous() {
        return ANONYMOUS;
    }

    /** A caller presenting a key value; {@code null} means anonymous. */
    public static Caller withKey(String virtualKey) {
        return virtualKey == null ? ANONYMOUS : new Caller(virtualKey, null);
    }

    /** Work submitted earlier by the key with this id; {@code null} means it was submitted anonymously. */
    public static Caller ownedBy(String keyId) {
        return keyId == null ? ANONYMOUS : new Caller(null, keyId);
    }

    public boolean isAnonymous() {
        return virtualKey == null && keyId == null;
    }

    @Override
    public String toString() {
        return isAnonymous() ? "Caller[anonymous]" : virtualKey != null ? "Caller[sk-bf-...]" : "Caller[key " + keyId + "]";
    }
}
