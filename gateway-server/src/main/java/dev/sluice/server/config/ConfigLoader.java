package dev.sluice.server.config;

import dev.sluice.core.keys.VirtualKeySpec;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.ProviderFactories;
import dev.sluice.core.resilience.FallbackDefaults;
import dev.sluice.core.usage.Pricing;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads the gateway's YAML configuration file (or builds the embedded defaults) into a validated
 * {@link SluiceConfig}, substituting {@code ${VAR}} from the given environment; every problem is a
 * {@link ConfigException} that names the file, the key path and what was expected.
 */
public final class ConfigLoader {

    /** The environment variable naming the configuration file when {@code --config} is not given. */
    public static final String CONFIG_ENV = "SLUICE_CONFIG";
    public static final String CONFIG_FLAG = "--config";

    /** Top-level sections; a new section is one entry here, one reader class and one record component. */
    private static final List<String> SECTIONS = List.of(AsyncSection.NAME, AuthSection.NAME, BatchSection.NAME, FallbacksSection.NAME, FilesSection.NAME, PricingSection.NAME, ProvidersSection.NAME,
            ServerSection.NAME, StoreSection.NAME, VirtualKeysSection.NAME);

    private final Map<String, String> env;
    private final ProvidersSection providers;

    public ConfigLoader(Map<String, String> env, ProviderFactories factories) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
        this.providers = new ProvidersSection(Objects.requireNonNull(factories, "factories"));
    }

    /** Reads and validates a configuration file; messages are prefixed with the path as given. */
    public SluiceConfig load(Path file) {
        String source = file.toString();
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(source, "file not found (expected: a readable YAML file, given with "
                    + CONFIG_FLAG + " FILE or " + CONFIG_ENV + ")", e);
        } catch (CharacterCodingException e) {
            throw new ConfigException(source, "not valid UTF-8 text (expected: a UTF-8 YAML file)", e);
        } catch (IOException e) {
            throw new ConfigException(source, "cannot be read: " + e, e);
        }
        return parse(yaml, source);
    }

    /** Parses and validates YAML text; {@code source} names it in messages. */
    public SluiceConfig parse(String yaml, String source) {
        Object parsed = parseYaml(yaml, source);
        // A misspelt section is reported as such, before any unset variable inside it is.
        ConfigNode.root(source, parsed).requireOnly(SECTIONS);
        ConfigNode root = ConfigNode.root(source, new EnvSubstitution(env, source).apply(parsed, ""));
        ServerSettings server = ServerSection.read(root);
        List<ProviderConfig> providerConfigs = providers.read(root);
        StoreSettings store = StoreSection.read(root);
        AuthSettings auth = AuthSection.read(root);
        List<VirtualKeySpec> virtualKeys = VirtualKeysSection.read(root);
        Pricing pricing = PricingSection.read(root);
        AsyncSettings async = AsyncSection.read(root);
        FilesSettings files = FilesSection.read(root);
        BatchSettings batch = BatchSection.read(root);
        FallbackDefaults fallbacks = FallbacksSection.read(root, providerConfigs);
        return new SluiceConfig(server, providerConfigs, store, auth, virtualKeys, pricing, async, files, batch, fallbacks);
    }

    /**
     * Reads one virtual key sent to the admin API with the same rules and messages as the file's
     * {@code virtual_keys} entries; the value may be left out, for the gateway to generate.
     *
     * @throws ConfigException naming the field and what was expected
     */
    public static VirtualKeySpec virtualKey(Map<String, Object> fields, String source) {
        return VirtualKeysSection.key(ConfigNode.root(source, fields), false);
    }

    /**
     * The configuration used when no file is given: the server on 127.0.0.1:8080, a {@code demo} mock
     * provider, and every well-known provider whose API key variable is set; the default store, the admin
     * API off, virtual keys optional and none declared, every model free.
     */
    public SluiceConfig defaults() {
        List<ProviderConfig> providerConfigs = new ArrayList<>();
        providerConfigs.add(ProviderConfig.builder("demo", "mock")
                .option("latency_ms", 0)
                .models(List.of("echo", "embed"))
                .build());
        providerConfigs.addAll(WellKnownProviders.enabledBy(env));
        return new SluiceConfig(ServerSettings.defaults(), providerConfigs, StoreSettings.defaults(),
                AuthSettings.defaults(), List.of(), Pricing.FREE, AsyncSettings.defaults(), FilesSettings.defaults(),
                BatchSettings.defaults(), FallbackDefaults.NONE);
    }

    /**
     * The configuration file to read: the value of {@code --config FILE} (or {@code --config=FILE}), else
     * a non-empty {@code SLUICE_CONFIG}, else empty (use {@link #defaults()}). Other arguments are ignored.
     *
     * @throws ConfigException when {@code --config} has no value or is given twice
     */
    public static Optional<Path> configPath(String[] args, Map<String, String> env) {
        String chosen = null;
        for (int i = 0; i < args.length; i++) {
            String value;
            if (args[i].equals(CONFIG_FLAG)) {
                value = i + 1 < args.length && !args[i + 1].startsWith("--") ? args[++i] : "";
            } else if (args[i].startsWith(CONFIG_FLAG + "=")) {
                value = args[i].substring(CONFIG_FLAG.length() + 1);
            } else {
                continue;
            }
            if (value.isBlank()) {
                throw new ConfigException("command line", CONFIG_FLAG + ": missing value (expected: " + CONFIG_FLAG + " FILE)");
            }
            if (chosen != null) {
                throw new ConfigException("command line", CONFIG_FLAG + ": given twice (expected: one configuration file)");
            }
            chosen = value;
        }
        if (chosen == null) {
            String fromEnv = env.get(CONFIG_ENV);
            chosen = fromEnv == null || fromEnv.isBlank() ? null : fromEnv;
        }
        return Optional.ofNullable(chosen).map(Path::of);
    }

    private static Object parseYaml(String yaml, String source) {
        LoaderOptions options = new LoaderOptions();
        // Two providers with the same name would otherwise silently become one.
        options.setAllowDuplicateKeys(false);
        try {
            // YAML 1.2 scalars: "off", "no", "yes" and "on" are text, not booleans.
            return new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(), options,
                    new Yaml12Resolver()).load(yaml);
        } catch (MarkedYAMLException e) {
            // getMessage() quotes the offending line, which may hold an API key; say only where and what.
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String where = mark == null ? "" : "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": ";
            String what = Objects.requireNonNullElse(e.getProblem(), "invalid YAML");
            String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
            throw new ConfigException(source, where + what + context, e);
        } catch (YAMLException e) {
            throw new ConfigException(source, "invalid YAML: " + e.getMessage(), e);
        }
    }
}
