package dev.sluice.core.provider;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

/** The provider types on the class path, found with {@link ServiceLoader}, by type name. */
public final class ProviderFactories {

    private final Map<String, ProviderFactory> byType;

    private ProviderFactories(Map<String, ProviderFactory> byType) {
        this.byType = Collections.unmodifiableMap(byType);
    }

    /** Loads every registered factory; factories given explicitly win over loaded ones of the same type. */
    public static ProviderFactories load(ClassLoader classLoader, Iterable<ProviderFactory> explicit) {
        Map<String, ProviderFactory> byType = new LinkedHashMap<>();
        for (ProviderFactory factory : ServiceLoader.load(ProviderFactory.class, classLoader)) {
            byType.put(factory.type(), factory);
        }
        for (ProviderFactory factory : explicit) {
            byType.put(factory.type(), factory);
        }
        return new ProviderFactories(byType);
    }

    public static ProviderFactories load(ClassLoader classLoader) {
        return load(classLoader, Set.of());
    }

    /** The factory for a type, or {@code null}. */
    public ProviderFactory get(String type) {
        return byType.get(type);
    }

    public Set<String> types() {
        return byType.keySet();
    }

    /**
     * The factory for a provider's type, after checking that the type exists and that every option is
     * one the type accepts.
     *
     * @throws IllegalArgumentException naming the provider, the bad value and what was expected
     */
    public ProviderFactory factoryFor(ProviderConfig config) {
        ProviderFactory factory = byType.get(config.type());
        if (factory == null) {
            throw new IllegalArgumentException("providers." + config.name() + ".type: " + config.type()
                    + " (expected one of: " + String.join(", ", byType.keySet()) + ")");
        }
        for (String option : config.options().keySet().stream().sorted().toList()) {
            if (!factory.optionNames().contains(option)) {
                throw new IllegalArgumentException("providers." + config.name() + "." + option + ": unknown option for type "
                        + config.type() + " (expected one of: "
                        + (factory.optionNames().isEmpty() ? "none" : String.join(", ", factory.optionNames().stream().sorted().toList())) + ")");
            }
        }
        return factory;
    }
}
