package dev.sluice.core.format;

import dev.sluice.core.error.InvalidRequestException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link RequestBody#read} answers as {@link RequestBody#parse} does, with a value instead of a throw. */
class RequestBodyReadTest {

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aValidBodyReadsAsTheParsedBody() {
        ParsedBody read = RequestBody.read(bytes("{\"model\":\"demo/echo\",\"stream\":true}"));

        assertThat(read).isInstanceOfSatisfying(ParsedBody.Valid.class, valid -> {
            assertThat(valid.body().model()).isEqualTo("demo/echo");
            assertThat(valid.body().stream()).isTrue();
        });
    }

    @Test
    void aBadBodyReadsAsTheProblemParseWouldRefuseItWith() {
        for (String body : new String[] {"[1]", "{\"model\":1}", "{}", "{\"model\":\"m\"} x", "{\"model\":"}) {
            ParsedBody read = RequestBody.read(bytes(body));

            assertThat(read).as(body).isInstanceOfSatisfying(ParsedBody.Invalid.class, invalid ->
                    assertThatThrownBy(() -> RequestBody.parse(bytes(body)))
                            .isInstanceOf(InvalidRequestException.class)
                            .hasMessage(invalid.problem().getMessage()));
        }
    }
}
