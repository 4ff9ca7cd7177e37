package dev.sluice.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static dev.sluice.server.config.TestFactories.loader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every problem stops start-up with the file, the full key path, the bad value and what was expected. */
class ConfigErrorsTest {

    private static final String DEMO = "providers: {demo: {type: mock}}\n";

    @Test
    void rejectsUnknownTopLevelSectionNamingTheAcceptedOnes() {
        assertFails("servers: {port: 1}\n" + DEMO,
                "sluice.yaml: servers: unknown key (expected one of: async, auth, batch, fallbacks, files, pricing, providers, server, store, virtual_keys)");
    }

    @Test
    void reportsAMisspeltSectionBeforeAnUnsetVariableInsideIt() {
        assertFails("stor: {url: \"${DB_URL}\"}\n" + DEMO,
                "sluice.yaml: stor: unknown key (expected one of: async, auth, batch, fallbacks, files, pricing, providers, server, store, virtual_keys)");
    }

    @Test
    void rejectsUnknownKeyNamingItsPath() {
        assertFails("server: {hots: 0.0.0.0}\n" + DEMO,
                "sluice.yaml: server.hots: unknown key (expected one of: access_log, cors, host, http2, idle_timeout_seconds, max_body_bytes,"
                        + " max_inflight_body_bytes, port, read_timeout_seconds, request_header_timeout_seconds, shutdown_grace_seconds,"
                        + " tls, upload_timeout_seconds)");
    }

    @Test
    void rejectsUnknownKeyInsideAProviderKey() {
        assertFails("""
                providers:
                  openai:
                    type: openai
                    keys: [{value: k, wieght: 2}]
                """, "sluice.yaml: providers.openai.keys[0].wieght: unknown key (expected one of: models, name, value, weight)");
    }

    @Test
    void rejectsAnOptionTheTypeDoesNotAcceptListingCommonKeysAndTheTypesOptions() {
        assertFails("providers: {demo: {type: mock, latency: 5}}", "sluice.yaml: providers.demo.latency: unknown key (expected one of: "
                + "acquire_timeout_ms, base_url, circuit_breaker, connect_timeout_seconds, first_byte_timeout_seconds, http_version, keys, "
                + "max_connections, max_pending, max_streams_per_connection, models, "
                + "request_timeout_seconds, retry, stream_idle_timeout_seconds, timeout_seconds, type, chunk_gap_ms, latency_ms)");
    }

    @Test
    void rejectsTlsSettingsThatCannotWork() {
        assertFails("server: {tls: {cert_file: /etc/tls.crt}}\n" + DEMO,
                "sluice.yaml: server.tls.key_file: missing (expected: the PEM private key)");
        assertFails("server: {tls: {key_file: /etc/tls.key}}\n" + DEMO,
                "sluice.yaml: server.tls.cert_file: missing (expected: the PEM certificate chain)");
        assertFails("server: {tls: {cert_file: a, key_file: b, reload: 5}}\n" + DEMO,
                "sluice.yaml: server.tls.reload: unknown key (expected one of: cert_file, key_file, reload_seconds)");
    }

    @Test
    void readsTlsAndHttp2Settings() {
        SluiceConfig config = loader(Map.of()).parse("server: {http2: true, tls: {cert_file: /etc/tls.crt, key_file: /etc/tls.key, "
                + "reload_seconds: 30}}\n" + DEMO, "sluice.yaml");

        assertThat(config.server().http2()).hasValue(true);
        assertThat(config.server().tls()).hasValue(new TlsSettings(java.nio.file.Path.of("/etc/tls.crt"),
                java.nio.file.Path.of("/etc/tls.key"), java.time.Duration.ofSeconds(30)));
        assertThat(loader(Map.of()).parse(DEMO, "sluice.yaml").server().tls()).isEmpty();
    }

    @Test
    void rejectsConnectionSettingsThatCannotWork() {
        assertFails("providers: {demo: {type: mock, http_version: h3}}",
                "sluice.yaml: providers.demo.http_version: h3 (expected: one of auto, http1.1, h2, h2c)");
        assertFails("providers: {demo: {type: mock, max_pending: -1}}", "sluice.yaml: providers.demo.max_pending: -1 (expected: >= 0)");
        assertFails("providers: {demo: {type: mock, max_streams_per_connection: 0}}",
                "sluice.yaml: providers.demo.max_streams_per_connection: 0 (expected: > 0)");
    }

    @Test
    void rejectsAnotherTypesOption() {
        assertFails("providers: {gpt: {type: openai, latency_ms: 5}}",
                "sluice.yaml: providers.gpt.latency_ms: unknown key (expected one of: "
                + "acquire_timeout_ms, base_url, circuit_breaker, connect_timeout_seconds, first_byte_timeout_seconds, http_version, keys, "
                + "max_connections, max_pending, max_streams_per_connection, models, "
                + "request_timeout_seconds, retry, stream_idle_timeout_seconds, timeout_seconds, type)");
    }

    @Test
    void rejectsTextWhereAWholeNumberIsExpected() {
        assertFails("server: {port: abc}\n" + DEMO, "sluice.yaml: server.port: \"abc\" (expected: a whole number)");
    }

    @Test
    void rejectsADecimalWhereAWholeNumberIsExpected() {
        assertFails("server: {port: 80.5}\n" + DEMO, "sluice.yaml: server.port: 80.5 (expected: a whole number)");
    }

    @Test
    void rejectsAWholeNumberTooLargeForItsField() {
        assertFails("providers: {demo: {type: mock, max_connections: 99999999999}}",
                "sluice.yaml: providers.demo.max_connections: 99999999999 (expected: a whole number from -2147483648 to 2147483647)");
    }

    @Test
    void rejectsAListWhereAMapIsExpected() {
        assertFails("server: [a, b]\n" + DEMO, "sluice.yaml: server: a list (expected: a map)");
    }

    @Test
    void rejectsAMapWhereAListIsExpected() {
        assertFails("providers: {demo: {type: mock, models: {a: b}}}",
                "sluice.yaml: providers.demo.models: a map (expected: a list, such as [a, b])");
    }

    @Test
    void rejectsAKeyThatIsNotAMapWithoutEchoingIt() {
        assertFails("providers: {gpt: {type: openai, keys: [sk-123]}}",
                "sluice.yaml: providers.gpt.keys[0]: text (expected: a map)");
    }

    @Test
    void rejectsABlankModelName() {
        assertFails("providers: {demo: {type: mock, models: [echo, \"\"]}}",
                "sluice.yaml: providers.demo.models[1]: \"\" (expected: non-empty text)");
    }

    @Test
    void rejectsANumberWhereTextIsExpected() {
        assertFails("server: {host: 8}\n" + DEMO, "sluice.yaml: server.host: 8 (expected: text; quote it)");
    }

    @Test
    void rejectsANonTextKeyValueWithoutEchoingIt() {
        assertFailsWith("providers: {gpt: {type: openai, keys: [{value: 123456789}]}}",
                "sluice.yaml: providers.gpt.keys[0].value: a number (expected: text; quote it)");
    }

    @Test
    void rejectsAMissingType() {
        assertFails("providers: {x: {base_url: \"https://example.com\"}}",
                "sluice.yaml: providers.x.type: missing (expected one of: mock, openai)");
    }

    @Test
    void rejectsAnUnknownTypeListingTheKnownOnes() {
        assertFails("providers: {x: {type: opneai}}", "sluice.yaml: providers.x.type: \"opneai\" (expected one of: mock, openai)");
    }

    @Test
    void rejectsAProviderWithNoSettings() {
        assertFails("providers: {x: }", "sluice.yaml: providers.x: empty (expected: a map with at least type:)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "# only a comment\n", "server: {port: 1}\n", "providers:\n", "providers: {}\n"})
    void rejectsAFileWithoutProviders(String yaml) {
        assertFails(yaml, "sluice.yaml: providers: missing (expected: at least one provider)");
    }

    @Test
    void rejectsADocumentThatIsNotAMap() {
        assertFails("- a\n- b\n", "sluice.yaml: the document is a list (expected: a map of sections such as server: and providers:)");
    }

    @Test
    void rejectsANonTextKey() {
        assertFails("providers: {1: {type: mock}}", "sluice.yaml: providers.1: key is 1 (expected: text; quote the key)");
    }

    @Test
    void rejectsANonPositiveKeyWeight() {
        assertFails("providers: {openai: {type: openai, keys: [{value: k, weight: -1}]}}",
                "sluice.yaml: providers.openai.keys[0].weight: -1 (expected: > 0)");
    }

    @Test
    void rejectsAMissingKeyValue() {
        assertFailsWith("providers: {openai: {type: openai, keys: [{name: primary}]}}",
                "sluice.yaml: providers.openai.keys[0].value: missing (expected: the API key");
    }

    @Test
    void rejectsTwoKeysWithTheSameName() {
        assertFailsWith("providers: {openai: {type: openai, keys: [{name: a, value: k1}, {name: a, value: k2}]}}",
                "sluice.yaml: providers.openai.keys[1].name: \"a\" (expected: a name no other key of this provider has)");
    }

    @Test
    void rejectsTwoProvidersWithTheSameName() {
        assertFailsWith("providers:\n  demo: {type: mock}\n  demo: {type: openai}\n", "sluice.yaml: line 3, column 3: found duplicate key demo");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "0.0"})
    void rejectsANonPositiveTimeout(String timeout) {
        assertFailsWith("providers: {demo: {type: mock, timeout_seconds: " + timeout + "}}",
                "sluice.yaml: providers.demo.timeout_seconds: " + timeout + " (expected: > 0)");
    }

    @Test
    void rejectsATimeoutThatIsNotANumber() {
        assertFails("providers: {demo: {type: mock, timeout_seconds: soon}}",
                "sluice.yaml: providers.demo.timeout_seconds: \"soon\" (expected: a number)");
    }

    @Test
    void rejectsANonPositiveConnectionLimit() {
        assertFails("providers: {demo: {type: mock, max_connections: 0}}",
                "sluice.yaml: providers.demo.max_connections: 0 (expected: > 0)");
    }

    @Test
    void rejectsABaseUrlThatIsNotHttp() {
        assertFailsWith("providers: {gpt: {type: openai, base_url: \"api.openai.com/v1\"}}",
                "sluice.yaml: providers.gpt.base_url: \"api.openai.com/v1\" (expected: an http or https URL");
    }

    @Test
    void wrapsTheRecordsOwnValidationWithTheSource() {
        assertFails("server: {port: 70000}\n" + DEMO, "sluice.yaml: server.port: 70000 (expected: 0 to 65535)");
        assertFails("server: {host: \" \"}\n" + DEMO, "sluice.yaml: server.host: \" \" (expected: an address such as 127.0.0.1 or 0.0.0.0)");
        assertFails("server: {max_body_bytes: 0}\n" + DEMO, "sluice.yaml: server.max_body_bytes: 0 (expected: > 0)");
    }

    @Test
    void wrapsAnInvalidProviderNameWithItsPath() {
        assertFailsWith("providers: {\"a/b\": {type: mock}}", "sluice.yaml: providers.a/b: provider name: \"a/b\"");
    }

    @Test
    void reportsInvalidYamlByLineWithoutQuotingTheLine() {
        assertThatThrownBy(() -> loader(Map.of()).parse("""
                providers:
                  openai:
                    type: openai
                    keys: [{value: sk-secret: oops}]
                """, "sluice.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("sluice.yaml: line 4, column ")
                .hasMessageNotContaining("sk-secret");
    }

    @Test
    void refusesYamlTagsThatWouldBuildObjects() {
        assertFailsWith("providers: {demo: !!java.util.Date {type: mock}}", "sluice.yaml: line 1, column 19: ");
    }

    private static void assertFails(String yaml, String message) {
        assertThatThrownBy(() -> loader(Map.of()).parse(yaml, "sluice.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }

    private static void assertFailsWith(String yaml, String messageStart) {
        assertThatThrownBy(() -> loader(Map.of()).parse(yaml, "sluice.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(messageStart);
    }
}
