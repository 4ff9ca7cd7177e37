package dev.sluice.core.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Virtual key values: recognising them ({@code sk-bf-}), hashing them for lookup, and showing them masked. */
public final class VirtualKeyValues {

    /** Every virtual key value starts with this (compared case-insensitively). */
    public static final String PREFIX = "sk-bf-";

    private VirtualKeyValues() {
    }

    public static boolean looksLikeVirtualKey(String value) {
        return value != null && value.length() > PREFIX.length()
                && value.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /** Hex SHA-256 of the value: what the store keeps instead of the secret. */
    public static String hash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The last four characters, enough to tell keys apart in a list. */
    public static String hint(String value) {
        return value.length() <= 4 ? value : value.substring(value.length() - 4);
    }
}
