package dev.sluice.providers.mock;

import java.util.ArrayList;
import java.util.List;

/** A stand-in tokenizer: one token per whitespace-separated word. */
final class MockTokens {

    private MockTokens() {
    }

    /** The words in the text; at least 1 for any non-empty text, so usage is never zero for real input. */
    static int count(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        int words = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            boolean space = Character.isWhitespace(text.charAt(i));
            if (!space && !inWord) {
                words++;
            }
            inWord = !space;
        }
        return Math.max(1, words);
    }

    /**
     * The text cut before each word that follows whitespace, so every piece is one word with the spaces
     * before it and the pieces joined give back the text exactly.
     */
    static List<String> pieces(String text) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        for (int i = 1; i < text.length(); i++) {
            if (!Character.isWhitespace(text.charAt(i)) && Character.isWhitespace(text.charAt(i - 1))) {
                int cut = i;
                while (cut > start && Character.isWhitespace(text.charAt(cut - 1))) {
                    cut--;
                }
                if (cut > start) {
                    pieces.add(text.substring(start, cut));
                    start = cut;
                }
            }
        }
        if (start < text.length()) {
            pieces.add(text.substring(start));
        }
        return pieces;
    }
}
