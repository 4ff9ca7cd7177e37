package dev.sluice.core.format;

import dev.sluice.core.error.InvalidRequestException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The gateway's own {@code fallbacks} field: read once, and cut from every body a provider sees. */
class RequestBodyFallbacksTest {

    private static RequestBody parse(String json) {
        return RequestBody.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void readsTheFallbacksInOrder() {
        RequestBody body = parse("{\"model\":\"a/x\",\"fallbacks\":[\"b/y\",\"c/z\"],\"messages\":[]}");

        assertThat(body.fallbacks()).containsExactly("b/y", "c/z");
    }

    @Test
    void absentOrNullFallbacksLeaveTheDefaultsToApply() {
        assertThat(parse("{\"model\":\"a/x\"}").fallbacks()).isNull();
        assertThat(parse("{\"model\":\"a/x\",\"fallbacks\":null}").fallbacks()).isNull();
        assertThat(parse("{\"model\":\"a/x\",\"fallbacks\":[]}").fallbacks()).isEqualTo(List.of());
    }

    @Test
    void cutsTheFieldWhereverItStands() {
        assertThat(text(parse("{\"model\":\"a/x\", \"fallbacks\" : [\"b/y\"] ,\"n\":1}").withModel("x")))
                .isEqualTo("{\"model\":\"x\" ,\"n\":1}");
        assertThat(text(parse("{ \"fallbacks\":[\"b/y\"], \"model\":\"a/x\",\"n\":1}").withModel("x")))
                .isEqualTo("{ \"model\":\"x\",\"n\":1}");
        assertThat(text(parse("{\"model\":\"a/x\",\"n\":1,\"fallbacks\":[\"b/y\"]}").withModel("x")))
                .isEqualTo("{\"model\":\"x\",\"n\":1}");
        assertThat(text(parse("{\"model\":\"x\",\"fallbacks\":[\"b/y\"]}").withModel("x")))
                .isEqualTo("{\"model\":\"x\"}");
    }

    @Test
    void cutsTheFieldAlongsideTheOtherRewrites() {
        RequestBody body = parse("{\"model\":\"a/x\",\"stream\":true,\"fallbacks\":[\"b/y\"],\"background\":true}");

        assertThat(text(body.forUpstream("x", true)))
                .isEqualTo("{\"model\":\"x\",\"stream\":true,\"background\":false,\"stream_options\":{\"include_usage\":true}}");
    }

    @Test
    void aBodyWhoseModelIsInTheUrlIsForwardedWithoutIt() {
        RequestBody body = RequestBody.parse("{\"fallbacks\":[\"b/y\"],\"contents\":[]}".getBytes(StandardCharsets.UTF_8), "gemini/m", false);

        assertThat(body.fallbacks()).containsExactly("b/y");
        assertThat(text(body.forwarded())).isEqualTo("{\"contents\":[]}");
    }

    @Test
    void refusesFallbacksThatAreNotAListOfNames() {
        assertThatThrownBy(() -> parse("{\"model\":\"a/x\",\"fallbacks\":\"b/y\"}"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("'fallbacks' must be an array of \"provider/model\" strings.");
        assertThatThrownBy(() -> parse("{\"model\":\"a/x\",\"fallbacks\":[\"b/y\",3]}"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("'fallbacks' must be an array of \"provider/model\" strings; item 1 is not.");
    }
}
