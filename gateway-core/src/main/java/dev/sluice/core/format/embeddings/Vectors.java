package dev.sluice.core.format.embeddings;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;

/**
 * Embedding vectors on the wire: JSON arrays of numbers, read and written with jackson-core's streaming API because
 * a batch holds hundreds of thousands of them, and OpenAI's base64 form, the float32 values packed little-endian.
 */
public final class Vectors {

    private Vectors() {
    }

    /** Reads the array the parser is on (its START_ARRAY just read) into a vector; anything but numbers is refused. */
    public static float[] read(JsonParser parser) throws IOException {
        float[] values = new float[1024];
        int size = 0;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token != JsonToken.VALUE_NUMBER_FLOAT && token != JsonToken.VALUE_NUMBER_INT) {
                throw new JsonParseException(parser, "a vector holds only numbers, not " + token);
            }
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = parser.getFloatValue();
        }
        return Arrays.copyOf(values, size);
    }

    /** Writes the vector as a JSON array of numbers. */
    public static void write(JsonGenerator generator, float[] vector) throws IOException {
        generator.writeStartArray(vector, vector.length);
        for (float value : vector) {
            generator.writeNumber(value);
        }
        generator.writeEndArray();
    }

    /** The vector's float32 values, little-endian, base64-encoded, as OpenAI's {@code encoding_format: base64} has them. */
    public static String toBase64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(vector);
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    /** The vector packed in {@code base64}; a length that is not a whole number of float32 values is refused. */
    public static float[] fromBase64(String base64) {
        byte[] bytes = Base64.getDecoder().decode(base64);
        if (bytes.length % Float.BYTES != 0) {
            throw new IllegalArgumentException("a base64 vector of " + bytes.length + " bytes is not float32 values");
        }
        float[] vector = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        return vector;
    }
}
