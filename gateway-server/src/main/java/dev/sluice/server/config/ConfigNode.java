package dev.sluice.server.config;

import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One YAML map with the path it was found at, read through typed accessors that fail with a
 * {@link ConfigException} naming the full key path, the bad value and what was expected. An explicit
 * {@code null} ({@code key:} with nothing after it) reads as absent, so that a default applies.
 */
final class ConfigNode {

    private final String source;
    private final String path;
    private final Map<String, Object> values;

    private ConfigNode(String source, String path, Map<String, Object> values) {
        this.source = source;
        this.path = path;
        this.values = values;
    }

    /** The document's top level; an empty document reads as an empty map. */
    static ConfigNode root(String source, Object document) {
        if (document == null) {
            return new ConfigNode(source, "", Map.of());
        }
        if (!(document instanceof Map<?, ?> map)) {
            throw new ConfigException(source, "the document is " + describe(document) + " (expected: a map of sections such as server: and providers:)");
        }
        return of(source, "", map);
    }

    private static ConfigNode of(String source, String path, Map<?, ?> map) {
        Map<String, Object> values = new LinkedHashMap<>();
        map.forEach((key, value) -> {
            if (!(key instanceof String name)) {
                // YAML reads "on:", "1:" and "null:" as non-text keys; silently converting them would hide the surprise.
                throw new ConfigException(source, childPath(path, String.valueOf(key))
                        + ": key is " + describe(key) + " (expected: text; quote the key)");
            }
            values.put(name, value);
        });
        return new ConfigNode(source, path, values);
    }

    static String childPath(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    static String elementPath(String parent, int index) {
        return parent + "[" + index + "]";
    }

    String path() {
        return path;
    }

    String pathOf(String key) {
        return childPath(path, key);
    }

    /** The keys in the order they were written. */
    Set<String> keys() {
        return values.keySet();
    }

    boolean has(String key) {
        return values.get(key) != null;
    }

    /** The value as YAML gave it, or {@code null}. */
    @Nullable Object raw(String key) {
        return values.get(key);
    }

    /** Fails on the first key (in file order) that is not in {@code allowed}; the list is shown as given. */
    void requireOnly(List<String> allowed) {
        for (String key : values.keySet()) {
            if (!allowed.contains(key)) {
                throw problem(key, "unknown key (expected one of: " + String.join(", ", allowed) + ")");
            }
        }
    }

    Optional<String> string(String key) {
        Object value = values.get(key);
        if (value == null || value instanceof String) {
            return Optional.ofNullable((String) value);
        }
        throw problem(key, describe(value) + " (expected: text; quote it)");
    }

    /** Like {@link #string} but never repeats the value in a message, for API keys and other secrets. */
    Optional<String> secret(String key) {
        Object value = values.get(key);
        if (value == null || value instanceof String) {
            return Optional.ofNullable((String) value);
        }
        throw problem(key, kind(value) + " (expected: text; quote it)");
    }

    int integer(String key, int fallback) {
        Long value = whole(key, Integer.MIN_VALUE, Integer.MAX_VALUE);
        return value == null ? fallback : value.intValue();
    }

    int positiveInteger(String key, int fallback) {
        int value = integer(key, fallback);
        if (value <= 0) {
            throw problem(key, value + " (expected: > 0)");
        }
        return value;
    }

    /** A whole number {@code > 0}, or empty when the key is absent. */
    Optional<Integer> optionalPositiveInteger(String key) {
        if (!has(key)) {
            return Optional.empty();
        }
        return Optional.of(positiveInteger(key, 0));
    }

    /** {@code true} or {@code false}; text is accepted because {@code ${VAR}} substitution yields text. */
    boolean bool(String key, boolean fallback) {
        Object value = values.get(key);
        return switch (value) {
            case null -> fallback;
            case Boolean b -> b;
            case String text when text.strip().equalsIgnoreCase("true") -> true;
            case String text when text.strip().equalsIgnoreCase("false") -> false;
            default -> throw problem(key, describe(value) + " (expected: true or false)");
        };
    }

    long longInteger(String key, long fallback) {
        Long value = whole(key, Long.MIN_VALUE, Long.MAX_VALUE);
        return value == null ? fallback : value;
    }

    /** A whole or decimal number; text is accepted because {@code ${VAR}} substitution yields text. */
    Optional<BigDecimal> decimal(String key) {
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        try {
            if (value instanceof Integer || value instanceof Long) {
                return Optional.of(BigDecimal.valueOf(((Number) value).longValue()));
            }
            if (value instanceof Double number && Double.isFinite(number)) {
                return Optional.of(BigDecimal.valueOf(number));
            }
            if (value instanceof String text) {
                return Optional.of(new BigDecimal(text.strip()));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw problem(key, describe(value) + " (expected: a number)");
    }

    /** A map below this one, or empty when the key is absent. */
    Optional<ConfigNode> map(String key) {
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw problem(key, describe(value) + " (expected: a map)");
        }
        return Optional.of(of(source, pathOf(key), map));
    }

    /**
     * A list of maps, each read as a node at {@code key[i]}; empty when the key is absent. An element that is
     * not a map is named by its kind only: {@code keys: [sk-...]} is how a secret ends up there.
     */
    List<ConfigNode> maps(String key) {
        List<?> list = list(key);
        List<ConfigNode> nodes = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            Object element = list.get(i);
            if (!(element instanceof Map<?, ?> map)) {
                throw new ConfigException(source, elementPath(pathOf(key), i) + ": " + kind(element) + " (expected: a map)");
            }
            nodes.add(of(source, elementPath(pathOf(key), i), map));
        }
        return nodes;
    }

    /** A list of non-blank texts; empty when the key is absent. */
    List<String> strings(String key) {
        List<?> list = list(key);
        List<String> texts = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            Object element = list.get(i);
            if (!(element instanceof String text) || text.isBlank()) {
                throw new ConfigException(source, elementPath(pathOf(key), i) + ": " + describe(element) + " (expected: non-empty text)");
            }
            texts.add(text);
        }
        return texts;
    }

    private List<?> list(String key) {
        Object value = values.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw problem(key, describe(value) + " (expected: a list, such as [a, b])");
        }
        return list;
    }

    /** Text is accepted because {@code port: ${PORT:-8080}} yields text after substitution. */
    private @Nullable Long whole(String key, long min, long max) {
        Object value = values.get(key);
        if (value == null) {
            return null;
        }
        Long number = switch (value) {
            case Integer i -> (long) i;
            case Long l -> l;
            case String text -> parseLong(text.strip());
            default -> null;
        };
        if (number == null) {
            throw problem(key, describe(value) + " (expected: a whole number)");
        }
        if (number < min || number > max) {
            throw problem(key, describe(value) + " (expected: a whole number from " + min + " to " + max + ")");
        }
        return number;
    }

    private static @Nullable Long parseLong(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Runs a record's constructor or builder and turns its {@link IllegalArgumentException} into a
     * {@link ConfigException}; the records already name the key path when they know it.
     */
    <T> T validated(Supplier<T> build) {
        try {
            return build.get();
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            boolean named = !path.isEmpty() && message != null && message.startsWith(path);
            throw new ConfigException(source, named || path.isEmpty() ? message : path + ": " + message, e);
        }
    }

    /**
     * Like {@link #validated}, for records whose messages name their own fields relative to this node
     * ({@code value: ...}, {@code budget.max_usd: ...}): the message is put after this node's path and a dot.
     */
    <T> T validatedFields(Supplier<T> build) {
        try {
            return build.get();
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source, childPath(path, String.valueOf(e.getMessage())), e);
        }
    }

    ConfigException problem(String key, String message) {
        return problemAt(pathOf(key), message);
    }

    /** A problem at a path below this node that is not one of its keys, such as a list element. */
    ConfigException problemAt(String fullPath, String message) {
        return new ConfigException(source, fullPath + ": " + message);
    }

    /** A value as a message shows it: text quoted, numbers as written, collections by kind only. */
    static String describe(Object value) {
        if (value instanceof String text) {
            return "\"" + (text.length() > 80 ? text.substring(0, 77) + "..." : text) + "\"";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value);
        }
        return kind(value);
    }

    private static String kind(Object value) {
        return switch (value) {
            case null -> "empty";
            case Map<?, ?> ignored -> "a map";
            case List<?> ignored -> "a list";
            case String ignored -> "text";
            case Boolean ignored -> "a boolean";
            case Number ignored -> "a number";
            default -> "a " + value.getClass().getSimpleName();
        };
    }
}
