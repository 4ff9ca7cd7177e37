package dev.sluice.providers.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;

import java.io.IOException;

/** Checks that bytes are one JSON value by tokenizing them, without building a tree. */
public final class JsonSkim {

    private static final JsonFactory JSON = new JsonFactory();

    private JsonSkim() {
    }

    /** Whether the bytes hold exactly one well-formed JSON value. */
    public static boolean isJson(byte[] bytes) {
        try (JsonParser parser = JSON.createParser(bytes)) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }
}
