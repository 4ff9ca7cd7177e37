package dev.sluice.core.request;

/**
 * Who is calling, as presented: the virtual key value the caller sent, or none. The engine resolves it to a
 * stored key and applies that key's allowances.
 *
 * @param virtualKey the {@code sk-bf-...} value, or {@code null} for an anonymous caller
 */
public record Caller(String virtualKey) {

    private static final Caller ANONYMOUS = new Caller(null);

    public static Caller anonymous() {
        return ANONYMOUS;
    }

    public static Caller withKey(String virtualKey) {
        return virtualKey == null ? ANONYMOUS : new Caller(virtualKey);
    }

    public boolean isAnonymous() {
        return virtualKey == null;
    }

    @Override
    public String toString() {
        return isAnonymous() ? "Caller[anonymous]" : "Caller[sk-bf-...]";
    }
}
