package dev.sluice.core.sse;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SseDecoderTest {

    @Test
    void decodesEventsSplitAtEveryByte() {
        byte[] wire = "event: response.created\ndata: {\"a\":\"é\"}\n\n: keep-alive\n\ndata: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);
        SseDecoder decoder = new SseDecoder();
        List<SseEvent> events = new ArrayList<>();

        for (int i = 0; i < wire.length; i++) {
            events.addAll(decoder.decode(Arrays.copyOfRange(wire, i, i + 1)));
        }

        assertThat(events).containsExactly(SseEvent.named("response.created", "{\"a\":\"é\"}"), SseEvent.data("[DONE]"));
        assertThat(events.getLast().isDone()).isTrue();
        assertThat(decoder.hasPartialEvent()).isFalse();
    }

    @Test
    void acceptsCarriageReturnLineEndsAndJoinsDataLines() {
        SseDecoder decoder = new SseDecoder();

        List<SseEvent> events = decoder.decode("data:one\r\ndata: two\r\n\r\ndata: x\r\r".getBytes(StandardCharsets.UTF_8));

        assertThat(events).containsExactly(SseEvent.data("one\ntwo"), SseEvent.data("x"));
    }

    @Test
    void reportsAnEventLeftUnfinished() {
        SseDecoder decoder = new SseDecoder();

        assertThat(decoder.decode("data: {\"partial\"".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(decoder.hasPartialEvent()).isTrue();
    }

    @Test
    void encodesWhatItDecodes() {
        SseEvent event = SseEvent.named("error", "line one\nline two");

        assertThat(new SseDecoder().decode(event.encode())).containsExactly(event);
        assertThat(new String(SseEvent.data("[DONE]").encode(), StandardCharsets.UTF_8)).isEqualTo("data: [DONE]\n\n");
    }
}
