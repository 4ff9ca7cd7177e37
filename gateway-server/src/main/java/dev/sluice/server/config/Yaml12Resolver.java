package dev.sluice.server.config;

import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

import java.util.regex.Pattern;

/**
 * Reads plain scalars as YAML 1.2's core schema does, not as YAML 1.1: only {@code true} and {@code false} are
 * booleans, so that a virtual key named {@code off} or a value {@code no} stays text; and numbers have no underscores,
 * sexagesimal or octal forms. Unquoted timestamps are still read, as {@code expires_at} has always taken them.
 */
final class Yaml12Resolver extends Resolver {

    private static final Pattern BOOL = Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$");
    // Decimal without a leading zero (SnakeYAML would read "012" as octal), or hexadecimal.
    private static final Pattern INT = Pattern.compile("^(?:[-+]?(?:0|[1-9][0-9]*)|0x[0-9a-fA-F]+)$");
    private static final Pattern FLOAT = Pattern.compile(
            "^(?:[-+]?(?:\\.[0-9]+|[0-9]+\\.[0-9]*)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$");
    private static final Pattern NULL = Pattern.compile("^(?:~|null|Null|NULL|)$");

    @Override
    protected void addImplicitResolvers() {
        addImplicitResolver(Tag.BOOL, BOOL, "tTfF");
        addImplicitResolver(Tag.INT, INT, "-+0123456789");
        addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
        addImplicitResolver(Tag.NULL, NULL, "~nN\0");
        addImplicitResolver(Tag.NULL, Resolver.EMPTY, null);
        // Merge keys (<<) are YAML 1.1, kept because configuration files use them with anchors.
        addImplicitResolver(Tag.MERGE, Resolver.MERGE, "<");
        addImplicitResolver(Tag.TIMESTAMP, Resolver.TIMESTAMP, "0123456789");
    }
}
