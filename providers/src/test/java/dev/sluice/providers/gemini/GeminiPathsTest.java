package dev.sluice.providers.gemini;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class GeminiPathsTest {

    @Test
    void choosesBatchEmbedContentsOnlyForATopLevelRequestsField() {
        assertThat(GeminiPaths.isBatch(bytes("{\"requests\":[]}"))).isTrue();
        assertThat(GeminiPaths.isBatch(bytes("{\"taskType\":\"X\",\"nested\":{\"requests\":[]},\"requests\":[{}]}"))).isTrue();
        assertThat(GeminiPaths.isBatch(bytes("{\"content\":{\"parts\":[{\"text\":\"requests\"}]},\"x\":{\"requests\":1}}"))).isFalse();
        assertThat(GeminiPaths.isBatch(bytes("[{\"requests\":[]}]"))).isFalse();
        assertThat(GeminiPaths.isBatch(bytes("not json"))).isFalse();
    }

    @Test
    void keepsUnreservedCharactersAndEncodesTheRestOfTheModelName() {
        assertThat(GeminiPaths.segment("gemini-2.5-flash_preview~1")).isEqualTo("gemini-2.5-flash_preview~1");
        assertThat(GeminiPaths.segment("a/b:c d?e#f%")).isEqualTo("a%2Fb%3Ac%20d%3Fe%23f%25");
        assertThat(GeminiPaths.segment("é")).isEqualTo("%C3%A9");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
