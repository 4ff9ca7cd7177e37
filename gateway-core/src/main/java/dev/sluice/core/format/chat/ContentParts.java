package dev.sluice.core.format.chat;

import dev.sluice.core.error.InvalidRequestException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.sluice.core.format.json.Json.asObject;
import static dev.sluice.core.format.json.Json.string;

/**
 * Message content as every chat format writes it: absent, a plain string (one text part), or an array of objects
 * with a {@code type}, each of which the format reads in its own way.
 */
public final class ContentParts {

    /** Reads one typed element of a content array into zero or more parts. */
    @FunctionalInterface
    public interface Reader {
        /**
         * @param type the element's {@code type}, or {@code null} when it has none
         * @param at   the element's place in the request, for error messages
         */
        void read(String type, Map<String, Object> element, String at, List<Part> into);
    }

    private ContentParts() {
    }

    /**
     * The parts of {@code content} found at {@code at}; another shape than those above is a bad request that names
     * what the array should hold ({@code noun}: "parts", "blocks").
     */
    public static List<Part> read(Object content, String at, String noun, Reader reader) {
        if (content == null) {
            return List.of();
        }
        if (content instanceof String text) {
            return List.of(new Part.Text(text));
        }
        if (!(content instanceof List<?> list)) {
            throw new InvalidRequestException("'" + at + "' must be a string or an array of " + noun, at);
        }
        List<Part> parts = new ArrayList<>();
        for (int j = 0; j < list.size(); j++) {
            String elementAt = at + "[" + j + "]";
            Map<String, Object> element = asObject(list.get(j), elementAt);
            reader.read(string(element, "type", elementAt + ".type"), element, elementAt, parts);
        }
        return parts;
    }
}
