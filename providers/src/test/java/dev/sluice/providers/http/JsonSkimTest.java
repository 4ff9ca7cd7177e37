package dev.sluice.providers.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class JsonSkimTest {

    @Test
    void acceptsOneJsonValue() {
        assertThat(JsonSkim.isJson(bytes("{\"a\":[1,2,{\"b\":null}]}"))).isTrue();
        assertThat(JsonSkim.isJson(bytes(" [] "))).isTrue();
    }

    @Test
    void refusesHtmlEmptyTruncatedAndConcatenatedBodies() {
        assertThat(JsonSkim.isJson(bytes("<html>Bad gateway</html>"))).isFalse();
        assertThat(JsonSkim.isJson(bytes(""))).isFalse();
        assertThat(JsonSkim.isJson(bytes("{\"a\":[1,2"))).isFalse();
        assertThat(JsonSkim.isJson(bytes("{} {}"))).isFalse();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
