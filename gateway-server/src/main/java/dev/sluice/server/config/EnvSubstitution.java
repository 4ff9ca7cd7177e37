package dev.sluice.server.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${VAR}} and {@code ${VAR:-default}} in the string scalars of a parsed YAML tree.
 * It works on the tree rather than the raw text so that a variable's value is always one scalar and can
 * never add keys or change the document's structure; values are inserted once, never re-expanded.
 * {@code $${} stands for a literal {@code ${}.
 */
final class EnvSubstitution {

    private static final Pattern REFERENCE =
            Pattern.compile("\\$\\$\\{|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private final Map<String, String> env;
    private final String source;

    EnvSubstitution(Map<String, String> env, String source) {
        this.env = env;
        this.source = source;
    }

    /** A copy of the tree with every reference replaced; {@code path} is where {@code node} sits. */
    Object apply(Object node, String path) {
        if (node instanceof String text) {
            return substitute(text, path);
        }
        if (node instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((key, value) -> copy.put(key, apply(value, ConfigNode.childPath(path, String.valueOf(key)))));
            return Collections.unmodifiableMap(copy);
        }
        if (node instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                copy.add(apply(list.get(i), ConfigNode.elementPath(path, i)));
            }
            return Collections.unmodifiableList(copy);
        }
        return node;
    }

    private String substitute(String text, String path) {
        if (!text.contains("${")) {
            return text;
        }
        Matcher matcher = REFERENCE.matcher(text);
        StringBuilder result = new StringBuilder();
        int literalStart = 0;
        while (matcher.find()) {
            appendLiteral(result, text.substring(literalStart, matcher.start()), path);
            result.append(matcher.group(1) == null ? "${" : resolve(matcher.group(1), matcher.group(2), path));
            literalStart = matcher.end();
        }
        appendLiteral(result, text.substring(literalStart), path);
        return result.toString();
    }

    private String resolve(String variable, String fallback, String path) {
        String value = env.get(variable);
        if (fallback != null) {
            // As in the shell, ":-" also replaces a variable that is set but empty.
            return value == null || value.isEmpty() ? fallback : value;
        }
        if (value == null) {
            throw new ConfigException(source, path + ": environment variable " + variable
                    + " is not set (use ${" + variable + ":-} to allow empty)");
        }
        return value;
    }

    /** A "${" left over is a typo ({@code ${OPENAI KEY}}, a missing brace) that would otherwise be sent upstream as text. */
    private void appendLiteral(StringBuilder result, String literal, String path) {
        if (literal.contains("${")) {
            // The value is not echoed: it may be a secret with a typo in it.
            throw new ConfigException(source, path + ": malformed ${...} reference"
                    + " (expected: ${VAR} or ${VAR:-default}, VAR made of letters, digits and '_'; $${ for a literal ${)");
        }
        result.append(literal);
    }
}
