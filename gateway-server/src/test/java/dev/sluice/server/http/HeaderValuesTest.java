package dev.sluice.server.http;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HeaderValuesTest {

    @Test
    void keepsPrintableAsciiAsItIs() {
        assertThat(HeaderValues.safe("openai/gpt-4o-mini 100%")).isEqualTo("openai/gpt-4o-mini 100%");
    }

    @Test
    void percentEncodesControlAndNonAsciiCharactersSoNettyAcceptsTheValue() {
        String safe = HeaderValues.safe("a\r\nb\u0000c é");

        assertThat(safe).isEqualTo("a%0D%0Ab%00c %C3%A9");
        new DefaultHttpHeaders().set("x-sluice-model", safe);
    }

    @Test
    void cutsAnOverlongValue() {
        assertThat(HeaderValues.safe("m".repeat(5000))).hasSize(HeaderValues.MAX_LENGTH);
    }
}
