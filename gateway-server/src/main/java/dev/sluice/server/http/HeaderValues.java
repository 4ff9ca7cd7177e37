package dev.sluice.server.http;

import java.nio.charset.StandardCharsets;

/**
 * Makes text from a caller or a provider safe as a response header value. Netty refuses a value with a control
 * character by throwing while the answer is written (a 500 for an answer that was fine), and writes other characters
 * beyond Latin-1 as garbage; so anything but printable ASCII is percent-encoded as UTF-8, and an overlong value cut.
 */
public final class HeaderValues {

    static final int MAX_LENGTH = 1024;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private HeaderValues() {
    }

    public static String safe(String value) {
        String text = value.length() > MAX_LENGTH ? value.substring(0, MAX_LENGTH) : value;
        if (printableAscii(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            if (b >= 0x20 && b < 0x7f) {
                out.append((char) b);
            } else {
                out.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
            }
        }
        return out.toString();
    }

    private static boolean printableAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }
}
