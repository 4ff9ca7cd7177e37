package dev.sluice.providers.gemini;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Where a Gemini call goes. Gemini names the model in the URL, not in the body, and picks the method by a
 * {@code :verb} suffix on the model's path segment.
 */
final class GeminiPaths {

    private static final JsonFactory JSON = new JsonFactory();
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private GeminiPaths() {
    }

    static String generateContent(String baseUrl, String model) {
        return baseUrl + "/models/" + segment(model) + ":generateContent";
    }

    static String streamGenerateContent(String baseUrl, String model) {
        // Without alt=sse Gemini streams one JSON array, not events.
        return baseUrl + "/models/" + segment(model) + ":streamGenerateContent?alt=sse";
    }

    static String countTokens(String baseUrl, String model) {
        return baseUrl + "/models/" + segment(model) + ":countTokens";
    }

    static String embed(String baseUrl, String model, byte[] body) {
        return baseUrl + "/models/" + segment(model) + (isBatch(body) ? ":batchEmbedContents" : ":embedContent");
    }

    /**
     * The model name as one path segment: RFC 3986 unreserved characters stay, everything else (including
     * {@code /} and the {@code :} that would be taken for the method suffix) is percent-encoded as UTF-8.
     */
    static String segment(String model) {
        StringBuilder out = new StringBuilder(model.length() + 8);
        for (byte b : model.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return out.toString();
    }

    /**
     * Whether the body is a {@code batchEmbedContents} request: an object with a top-level {@code requests}
     * field. Tokenizes only the top level, skipping nested values, so a large batch is never built into a tree.
     * A body that is not a JSON object is sent to {@code embedContent}, whose 400 then says what is wrong.
     */
    static boolean isBatch(byte[] body) {
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                if ("requests".equals(parser.currentName())) {
                    return true;
                }
                parser.nextToken();
                parser.skipChildren();
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}
