package dev.sluice.core.format.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.core.error.InvalidRequestException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON tree on top of jackson-core's streaming API: objects are insertion-ordered {@code Map<String, Object>},
 * arrays {@code List<Object>}, numbers {@code Long}, {@code BigInteger}, {@code BigDecimal} or {@code Double},
 * and {@code null} is JSON null. Enough for translating chat bodies without pulling in jackson-databind.
 */
public final class Json {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private Json() {
    }

    /** Parses one JSON value; malformed JSON is the caller's fault, reported against {@code param}. */
    public static Object parse(byte[] json, String param) {
        try (JsonParser parser = FACTORY.createParser(json)) {
            return parseWhole(parser);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("Malformed JSON in '" + param + "': " + e.getOriginalMessage(), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses one JSON value; malformed JSON is the caller's fault, reported against {@code param}. */
    public static Object parse(String json, String param) {
        return parse(json.getBytes(StandardCharsets.UTF_8), param);
    }

    /** Parses a JSON object, refusing anything else. */
    public static Map<String, Object> parseObject(byte[] json, String param) {
        if (parse(json, param) instanceof Map<?, ?> map) {
            return cast(map);
        }
        throw new InvalidRequestException("'" + param + "' must be a JSON object", param);
    }

    /** Parses a JSON object, refusing anything else. */
    public static Map<String, Object> parseObject(String json, String param) {
        return parseObject(json.getBytes(StandardCharsets.UTF_8), param);
    }

    private static Object parseWhole(JsonParser parser) throws IOException {
        JsonToken token = parser.nextToken();
        if (token == null) {
            throw new JsonProcessingException("no content") { };
        }
        Object value = read(parser, token);
        if (parser.nextToken() != null) {
            throw new JsonProcessingException("trailing content after the JSON value") { };
        }
        return value;
    }

    private static Object read(JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
                    String name = parser.currentName();
                    map.put(name, read(parser, parser.nextToken()));
                }
                return map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    list.add(read(parser, t));
                }
                return list;
            }
            case VALUE_STRING -> {
                return parser.getText();
            }
            case VALUE_NUMBER_INT -> {
                return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? parser.getBigIntegerValue() : (Object) parser.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return parser.getDecimalValue();
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new JsonProcessingException("unexpected token " + token) { };
        }
    }

    /** The value as compact JSON text. */
    public static String write(Object value) {
        return new String(writeBytes(value), StandardCharsets.UTF_8);
    }

    /** The value as compact UTF-8 JSON. */
    public static byte[] writeBytes(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            write(generator, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator g, Object value) throws IOException {
        switch (value) {
            case null -> g.writeNull();
            case Map<?, ?> map -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    g.writeFieldName((String) entry.getKey());
                    write(g, entry.getValue());
                }
                g.writeEndObject();
            }
            case List<?> list -> {
                g.writeStartArray();
                for (Object item : list) {
                    write(g, item);
                }
                g.writeEndArray();
            }
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case BigInteger bi -> g.writeNumber(bi);
            case BigDecimal bd -> g.writeNumber(bd);
            case Double d -> g.writeNumber(d);
            case Number n -> g.writeNumber(n.toString());
            default -> throw new IllegalArgumentException("not a JSON value: " + value.getClass());
        }
    }

    /** A new, mutable, insertion-ordered object from alternating keys and values; null values are left out. */
    public static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                map.put((String) keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return map;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    /** The string at {@code key}, or null when absent or JSON null; another type is a bad request. */
    public static String string(Map<String, Object> object, String key, String param) {
        Object value = object.get(key);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new InvalidRequestException("'" + param + "' must be a string", param);
    }

    /** The string at {@code key}; absent, JSON null or another type is a bad request. */
    public static String requireString(Map<String, Object> object, String key, String param) {
        String value = string(object, key, param);
        if (value == null) {
            throw new InvalidRequestException("'" + param + "' is required", param);
        }
        return value;
    }

    /** The object at {@code key}, or null when absent or JSON null; another type is a bad request. */
    public static Map<String, Object> object(Map<String, Object> object, String key, String param) {
        Object value = object.get(key);
        if (value == null) {
            return null;
        }
        if (value instanceof Map<?, ?> map) {
            return cast(map);
        }
        throw new InvalidRequestException("'" + param + "' must be an object", param);
    }

    /** The array at {@code key}, empty when absent or JSON null; another type is a bad request. */
    public static List<Object> array(Map<String, Object> object, String key, String param) {
        Object value = object.get(key);
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            @SuppressWarnings("unchecked")
            List<Object> objects = (List<Object>) list;
            return objects;
        }
        throw new InvalidRequestException("'" + param + "' must be an array", param);
    }

    /** The element as an object; another type is a bad request. */
    public static Map<String, Object> asObject(Object value, String param) {
        if (value instanceof Map<?, ?> map) {
            return cast(map);
        }
        throw new InvalidRequestException("'" + param + "' must be an object", param);
    }

    /** The number at {@code key}, or null when absent or JSON null; another type is a bad request. */
    public static Number number(Map<String, Object> object, String key, String param) {
        Object value = object.get(key);
        if (value == null || value instanceof Number) {
            return (Number) value;
        }
        throw new InvalidRequestException("'" + param + "' must be a number", param);
    }

    /** The count at {@code key}, 0 when absent. */
    public static long count(Map<String, Object> object, String key) {
        return object != null && object.get(key) instanceof Number n ? n.longValue() : 0L;
    }

    /** The boolean at {@code key}, or {@code fallback} when absent or JSON null. */
    public static boolean bool(Map<String, Object> object, String key, boolean fallback, String param) {
        Object value = object.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        throw new InvalidRequestException("'" + param + "' must be a boolean", param);
    }

    /** The integer at {@code key}, or null when absent. */
    public static Integer integer(Map<String, Object> object, String key, String param) {
        Number n = number(object, key, param);
        if (n == null) {
            return null;
        }
        if (n instanceof BigDecimal bd && bd.stripTrailingZeros().scale() > 0 || n.longValue() > Integer.MAX_VALUE) {
            throw new InvalidRequestException("'" + param + "' must be an integer", param);
        }
        return n.intValue();
    }

    /** The number at {@code key} as a double, or null when absent. */
    public static Double decimal(Map<String, Object> object, String key, String param) {
        Number n = number(object, key, param);
        return n == null ? null : n.doubleValue();
    }
}
