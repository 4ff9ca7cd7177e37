package dev.sluice.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static dev.sluice.server.config.TestFactories.loader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code store:} and {@code auth:} sections. */
class ConfigStoreAuthTest {

    private static final String DEMO = "providers: {demo: {type: mock}}\n";

    @Test
    void readsTheStore() {
        SluiceConfig config = parse(Map.of(), """
                store:
                  url: r2dbc:postgresql://sluice@db.internal:5432/sluice
                  max_connections: 25
                """);

        assertThat(config.store()).isEqualTo(new StoreSettings("r2dbc:postgresql://sluice@db.internal:5432/sluice", 25));
    }

    @Test
    void defaultsTheStoreToAnEmbeddedH2File() {
        assertThat(parse(Map.of(), "").store()).isEqualTo(new StoreSettings("r2dbc:h2:file:///./data/sluice", 10));
        assertThat(parse(Map.of(), "store:\n").store()).isEqualTo(StoreSettings.defaults());
        assertThat(parse(Map.of(), "store: {max_connections: 3}\n").store())
                .isEqualTo(new StoreSettings(StoreSettings.DEFAULT_URL, 3));
    }

    @Test
    void takesTheStoreUrlFromTheEnvironment() {
        SluiceConfig config = parse(Map.of("DB_URL", "r2dbc:postgresql://u:pw@db/sluice", "DB_POOL", "4"),
                "store: {url: \"${DB_URL}\", max_connections: \"${DB_POOL}\"}\n");

        assertThat(config.store()).isEqualTo(new StoreSettings("r2dbc:postgresql://u:pw@db/sluice", 4));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:postgresql://u:hunter2@db/sluice", "postgresql://u:hunter2@db", "\"r2dbc:\"", "\" r2dbc\""})
    void rejectsAStoreUrlThatIsNotR2dbcWithoutRepeatingIt(String url) {
        assertThatThrownBy(() -> parse(Map.of(), "store: {url: " + url + "}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("sluice.yaml: store.url: not an R2DBC URL (expected: a URL starting with r2dbc: such as "
                        + "r2dbc:h2:file:///./data/sluice or r2dbc:postgresql://USER@HOST:PORT/DB)")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void rejectsAnEmptyStoreUrl() {
        assertFailsWith("store: {url: \"${DB_URL:-}\"}\n", "sluice.yaml: store.url: empty (expected: a URL starting with r2dbc:");
    }

    @Test
    void rejectsAStoreUrlThatIsNotText() {
        assertFails("store: {url: 5}\n", "sluice.yaml: store.url: a number (expected: text; quote it)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-2"})
    void rejectsANonPositivePoolSize(String size) {
        assertFails("store: {max_connections: " + size + "}\n", "sluice.yaml: store.max_connections: " + size + " (expected: > 0)");
    }

    @Test
    void rejectsAnUnknownStoreKey() {
        assertFails("store: {uri: \"r2dbc:h2:mem:///x\"}\n",
                "sluice.yaml: store.uri: unknown key (expected one of: max_connections, url)");
    }

    @Test
    void showsTheStoreUrlWithoutItsPassword() {
        assertThat(new StoreSettings("r2dbc:postgresql://sluice:hunter2@db:5432/sluice", 10).redactedUrl())
                .isEqualTo("r2dbc:postgresql://sluice:***@db:5432/sluice");
        assertThat(new StoreSettings("r2dbc:postgresql://sluice:p@ss@db/sluice?password=hunter2&ssl=true", 10))
                .hasToString("StoreSettings[url=r2dbc:postgresql://sluice:***@db/sluice?password=***&ssl=true, maxConnections=10]");
        assertThat(StoreSettings.defaults().redactedUrl()).isEqualTo(StoreSettings.DEFAULT_URL);
        assertThat(new StoreSettings("r2dbc:postgresql://sluice@db/sluice", 10).redactedUrl())
                .isEqualTo("r2dbc:postgresql://sluice@db/sluice");
    }

    @Test
    void readsAuth() {
        SluiceConfig config = parse(Map.of("SLUICE_ADMIN_TOKEN", "admin-secret"), """
                auth:
                  admin_token: ${SLUICE_ADMIN_TOKEN:-}
                  require_virtual_key: true
                """);

        assertThat(config.auth()).isEqualTo(new AuthSettings("admin-secret", true));
        assertThat(config.auth().adminApiEnabled()).isTrue();
    }

    @Test
    void turnsTheAdminApiOffWhenTheTokenVariableIsUnsetOrEmpty() {
        String yaml = "auth: {admin_token: \"${SLUICE_ADMIN_TOKEN:-}\"}\n";

        for (Map<String, String> env : java.util.List.of(Map.<String, String>of(), Map.of("SLUICE_ADMIN_TOKEN", ""),
                Map.of("SLUICE_ADMIN_TOKEN", "  "))) {
            AuthSettings auth = parse(env, yaml).auth();
            assertThat(auth.adminToken()).isNull();
            assertThat(auth.adminApiEnabled()).isFalse();
            assertThat(auth.requireVirtualKey()).isFalse();
        }
    }

    @Test
    void defaultsAuthToAdminOffAndVirtualKeysOptional() {
        assertThat(parse(Map.of(), "").auth()).isEqualTo(new AuthSettings(null, false));
        assertThat(parse(Map.of(), "auth:\n").auth()).isEqualTo(AuthSettings.defaults());
        assertThat(parse(Map.of(), "auth: {require_virtual_key: true}\n").auth()).isEqualTo(new AuthSettings(null, true));
    }

    @Test
    void readsRequireVirtualKeyFromTheEnvironment() {
        assertThat(parse(Map.of("REQUIRE", "TRUE"), "auth: {require_virtual_key: \"${REQUIRE}\"}\n").auth().requireVirtualKey())
                .isTrue();
        assertThat(parse(Map.of(), "auth: {require_virtual_key: \"${REQUIRE:-false}\"}\n").auth().requireVirtualKey())
                .isFalse();
    }

    @Test
    void rejectsARequireVirtualKeyThatIsNotABoolean() {
        assertFails("auth: {require_virtual_key: maybe}\n", "sluice.yaml: auth.require_virtual_key: \"maybe\" (expected: true or false)");
        assertFails("auth: {require_virtual_key: 1}\n", "sluice.yaml: auth.require_virtual_key: 1 (expected: true or false)");
    }

    @Test
    void rejectsAnAdminTokenThatIsNotTextWithoutRepeatingIt() {
        assertFails("auth: {admin_token: 12345678}\n", "sluice.yaml: auth.admin_token: a number (expected: text; quote it)");
    }

    @Test
    void rejectsAnUnknownAuthKey() {
        assertFails("auth: {admin-token: x}\n",
                "sluice.yaml: auth.admin-token: unknown key (expected one of: admin_token, require_virtual_key)");
    }

    @Test
    void neverShowsTheAdminToken() {
        assertThat(new AuthSettings("admin-secret", false)).hasToString("AuthSettings[adminToken=(set), requireVirtualKey=false]");
        assertThat(AuthSettings.defaults()).hasToString("AuthSettings[adminToken=(none), requireVirtualKey=false]");
        assertThat(parse(Map.of(), "auth: {admin_token: admin-secret}\n").toString()).doesNotContain("admin-secret");
    }

    private static SluiceConfig parse(Map<String, String> env, String yaml) {
        return loader(env).parse(yaml + DEMO, "sluice.yaml");
    }

    private static void assertFails(String yaml, String message) {
        assertThatThrownBy(() -> parse(Map.of(), yaml)).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    private static void assertFailsWith(String yaml, String messageStart) {
        assertThatThrownBy(() -> parse(Map.of(), yaml)).isInstanceOf(ConfigException.class).hasMessageStartingWith(messageStart);
    }
}
