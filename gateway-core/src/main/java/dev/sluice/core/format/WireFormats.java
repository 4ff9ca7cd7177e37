package dev.sluice.core.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The wire formats one gateway knows: those its routes speak and its providers speak. The first is the default, the
 * format of a path that no other format's route prefix starts.
 */
public final class WireFormats {

    private final List<WireFormat> formats;

    private WireFormats(List<WireFormat> formats) {
        this.formats = List.copyOf(formats);
    }

    /**
     * The formats, the default first.
     *
     * @throws IllegalArgumentException when there are none, or two share a name or a route prefix
     */
    public static WireFormats of(List<WireFormat> formats) {
        if (formats.isEmpty()) {
            throw new IllegalArgumentException("formats: none (expected: at least the default format)");
        }
        List<WireFormat> checked = new ArrayList<>();
        for (WireFormat format : formats) {
            for (WireFormat known : checked) {
                if (known.name().equals(format.name()) || known.routePrefix().equals(format.routePrefix())) {
                    throw new IllegalArgumentException("formats: '" + format.name() + "' (" + format.routePrefix()
                            + ") clashes with '" + known.name() + "' (" + known.routePrefix() + ")");
                }
            }
            checked.add(format);
        }
        return new WireFormats(checked);
    }

    /** The default format. */
    public WireFormat fallback() {
        return formats.get(0);
    }

    /** The format named {@code name}, as {@link WireFormat#name()} gives it. */
    public Optional<WireFormat> named(String name) {
        return formats.stream().filter(format -> format.name().equals(name)).findFirst();
    }

    /** The format a request on {@code path} speaks: the one whose route prefix starts it, else the default. */
    public WireFormat ofPath(String path) {
        for (WireFormat format : formats) {
            String prefix = format.routePrefix();
            if (path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/')) {
                return format;
            }
        }
        return fallback();
    }

    public List<WireFormat> all() {
        return formats;
    }
}
