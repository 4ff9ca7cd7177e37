package dev.sluice.core.format;

import dev.sluice.core.error.InvalidRequestException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestBodyTest {

    @Test
    void readsModelAndStream() {
        RequestBody body = parse("{\"model\":\"openai/gpt-4o\",\"stream\":true,\"messages\":[]}");

        assertThat(body.model()).isEqualTo("openai/gpt-4o");
        assertThat(body.stream()).isTrue();
    }

    @Test
    void refusesAModelWithAControlCharacterNamingModel() {
        assertThatThrownBy(() -> parse("{\"model\":\"demo/a\\u000db\"}"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("control character (U+000D at index 6)")
                .satisfies(e -> assertThat(((InvalidRequestException) e).param()).isEqualTo("model"));
    }

    @Test
    void refusesAModelLongerThan255Characters() {
        assertThatThrownBy(() -> parse("{\"model\":\"" + "m".repeat(256) + "\"}"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("'model' is 256 characters long (expected: at most 255).");
        assertThat(parse("{\"model\":\"" + "m".repeat(255) + "\"}").model()).hasSize(255);
    }

    @Test
    void checksAModelNamedByThePathToo() {
        assertThatThrownBy(() -> RequestBody.parse("{}".getBytes(StandardCharsets.UTF_8), "gemini\n", false))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("control character");
    }

    @Test
    void rewritesOnlyTheModelValueKeepingEveryOtherByte() {
        String original = "{ \"temperature\" : 0.70,\n \"model\":\"openai/gpt-4o\", \"x\":{\"model\":\"inner\"}, \"n\":1e3 }";

        String rewritten = new String(parse(original).withModel("gpt-4o"), StandardCharsets.UTF_8);

        assertThat(rewritten).isEqualTo(original.replace("\"openai/gpt-4o\"", "\"gpt-4o\""));
    }

    @Test
    void rewritesAModelWrittenWithEscapesAndMultibyteText() {
        String original = "{\"prompt\":\"héllo ✓\",\"model\":\"demo\\/caf\\u00e9\"}";

        RequestBody body = parse(original);
        String rewritten = new String(body.withModel("café \"x\""), StandardCharsets.UTF_8);

        assertThat(body.model()).isEqualTo("demo/café");
        assertThat(rewritten).isEqualTo("{\"prompt\":\"héllo ✓\",\"model\":\"café \\\"x\\\"\"}");
    }

    @Test
    void keepsTheSameArrayWhenTheModelDoesNotChange() {
        RequestBody body = parse("{\"model\":\"m\"}");

        assertThat(body.withModel("m")).isSameAs(body.bytes());
    }

    @Test
    void asksForStreamUsageWhenTheCallerDidNot() {
        String original = "{\"stream\":true,\"model\":\"p/m\",\"messages\":[]}";

        RequestBody body = parse(original);
        String upstream = new String(body.forUpstream("m", true), StandardCharsets.UTF_8);

        assertThat(body.usageRequested()).isFalse();
        assertThat(upstream).isEqualTo("{\"stream\":true,\"model\":\"m\",\"messages\":[],\"stream_options\":{\"include_usage\":true}}");
    }

    @Test
    void turnsAnExplicitFalseIncludeUsageIntoTrue() {
        RequestBody body = parse("{\"stream_options\":{\"include_usage\":false,\"x\":1},\"model\":\"p/m\"}");

        assertThat(new String(body.forUpstream("m", true), StandardCharsets.UTF_8))
                .isEqualTo("{\"stream_options\":{\"include_usage\":true,\"x\":1},\"model\":\"m\"}");
    }

    @Test
    void addsIncludeUsageToExistingStreamOptions() {
        assertThat(new String(parse("{\"model\":\"p/m\",\"stream_options\":{ }}").forUpstream("m", true), StandardCharsets.UTF_8))
                .isEqualTo("{\"model\":\"m\",\"stream_options\":{\"include_usage\":true }}");
        assertThat(new String(parse("{\"model\":\"p/m\",\"stream_options\":{\"a\":1}}").forUpstream("m", true), StandardCharsets.UTF_8))
                .isEqualTo("{\"model\":\"m\",\"stream_options\":{\"include_usage\":true,\"a\":1}}");
    }

    @Test
    void leavesACallerWhoAskedForUsageAlone() {
        RequestBody body = parse("{\"model\":\"m\",\"stream_options\":{\"include_usage\":true}}");

        assertThat(body.usageRequested()).isTrue();
        assertThat(body.forUpstream("m", true)).isSameAs(body.bytes());
    }

    @Test
    void turnsBackgroundOffForTheProvider() {
        RequestBody body = parse("{\"model\":\"p/m\",\"background\":true,\"input\":\"x\"}");

        assertThat(body.background()).isTrue();
        assertThat(new String(body.forUpstream("m", false), StandardCharsets.UTF_8))
                .isEqualTo("{\"model\":\"m\",\"background\":false,\"input\":\"x\"}");
    }

    @Test
    void knowsWhichTopLevelFieldsAreSet() {
        RequestBody body = parse("{\"model\":\"m\",\"messages\":[],\"prompt\":null,\"x\":{\"prompt\":1}}");

        assertThat(body.has("messages")).isTrue();
        assertThat(body.has("prompt")).isFalse();
    }

    @Test
    void turnsAStreamIntoOneAnswer() {
        RequestBody body = parse("{\"model\":\"m\",\"stream\":true}").withoutStream();

        assertThat(body.stream()).isFalse();
        assertThat(new String(body.bytes(), StandardCharsets.UTF_8)).isEqualTo("{\"model\":\"m\",\"stream\":false}");
    }

    @Test
    void refusesMalformedJson() {
        assertThatThrownBy(() -> parse("{\"model\":"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("Request body is not valid JSON");
    }

    @Test
    void refusesMissingModel() {
        assertThatThrownBy(() -> parse("{\"messages\":[]}"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("must provide a model")
                .extracting(e -> ((InvalidRequestException) e).param()).isEqualTo("model");
    }

    @Test
    void refusesNonBooleanStream() {
        assertThatThrownBy(() -> parse("{\"model\":\"m\",\"stream\":\"yes\"}")).hasMessageContaining("'stream' must be a boolean");
    }

    @Test
    void refusesAnythingButAnObject() {
        assertThatThrownBy(() -> parse("[]")).hasMessageContaining("must be a JSON object");
        assertThatThrownBy(() -> parse("")).hasMessageContaining("must be a JSON object");
    }

    private static RequestBody parse(String json) {
        return RequestBody.parse(json.getBytes(StandardCharsets.UTF_8));
    }
}
