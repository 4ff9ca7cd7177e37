package dev.sluice.server.http;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PathPatternTest {

    @Test
    void literalPathsMatchOnlyThemselves() {
        PathPattern pattern = new PathPattern("/v1/chat/completions");

        assertThat(pattern.match(PathPattern.segments("/v1/chat/completions"))).isEmpty();
        assertThat(pattern.match(PathPattern.segments("/v1/chat/completions/extra"))).isNull();
        assertThat(pattern.match(PathPattern.segments("/v1/chat"))).isNull();
        assertThat(pattern.match(PathPattern.segments("/v1/embeddings"))).isNull();
    }

    @Test
    void placeholdersTakeOneDecodedSegment() {
        PathPattern pattern = new PathPattern("/v1/files/{file_id}/content");

        assertThat(pattern.match(PathPattern.segments("/v1/files/file-a%20b/content"))).isEqualTo(Map.of("file_id", "file-a b"));
        assertThat(pattern.match(PathPattern.segments("/v1/files/a/b/content"))).isNull();
    }

    @Test
    void aLastRestPlaceholderTakesTheRestWithItsSlashes() {
        PathPattern pattern = new PathPattern("/genai/{version}/models/{call...}");

        assertThat(pattern.match(PathPattern.segments("/genai/v1beta/models/openai/gpt-4o-mini:generateContent")))
                .isEqualTo(Map.of("version", "v1beta", "call", "openai/gpt-4o-mini:generateContent"));
        assertThat(pattern.match(PathPattern.segments("/genai/v1beta/models/gemini-2.0-flash:countTokens")))
                .isEqualTo(Map.of("version", "v1beta", "call", "gemini-2.0-flash:countTokens"));
        assertThat(pattern.match(PathPattern.segments("/genai/v1beta/models"))).isNull();
    }

    @Test
    void segmentsLeaveTheQueryOut() {
        assertThat(PathPattern.segments("/genai/v1/models/m:streamGenerateContent?alt=sse"))
                .containsExactly("genai", "v1", "models", "m:streamGenerateContent");
    }
}
