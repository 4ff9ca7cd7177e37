package dev.sluice.core.files;

import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.files.JsonLines.Line;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Lines out of chunks, wherever the chunks are cut. */
class JsonLinesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** LF and CRLF ends, an empty line, multi-byte characters, and a last line without an end. */
    private static final String TEXT = "{\"a\":\"é\"}\r\n{\"b\":\"日本\"}\n\n{\"c\":\"😀\"}\r\n{\"d\":\"\\r\"}";

    private static final List<String> EXPECTED = List.of("{\"a\":\"é\"}", "{\"b\":\"日本\"}", "", "{\"c\":\"😀\"}", "{\"d\":\"\\r\"}");

    private static List<String> texts(Flux<byte[]> chunks) {
        List<Line> lines = JsonLines.lines(chunks).collectList().block(TIMEOUT);
        for (int i = 0; i < lines.size(); i++) {
            assertThat(lines.get(i).number()).isEqualTo(i + 1);
        }
        return lines.stream().map(Line::text).toList();
    }

    private static Flux<byte[]> cut(byte[] bytes, int... at) {
        List<byte[]> chunks = new ArrayList<>();
        int from = 0;
        for (int to : at) {
            chunks.add(Arrays.copyOfRange(bytes, from, to));
            from = to;
        }
        chunks.add(Arrays.copyOfRange(bytes, from, bytes.length));
        return Flux.fromIterable(chunks);
    }

    @Test
    void splitsTheSameWhereverTwoChunksMeet() {
        byte[] bytes = TEXT.getBytes(StandardCharsets.UTF_8);
        for (int at = 0; at <= bytes.length; at++) {
            assertThat(texts(cut(bytes, at))).as("cut at byte %d", at).isEqualTo(EXPECTED);
        }
    }

    @Test
    void splitsTheSameWhenEveryByteIsAChunkOfItsOwn() {
        byte[] bytes = TEXT.getBytes(StandardCharsets.UTF_8);
        List<byte[]> single = new ArrayList<>();
        for (byte b : bytes) {
            single.add(new byte[] {b});
        }

        assertThat(texts(Flux.fromIterable(single))).isEqualTo(EXPECTED);
    }

    @Test
    void splitsTheSameWhereverThreeChunksMeet() {
        byte[] bytes = TEXT.getBytes(StandardCharsets.UTF_8);
        for (int first = 0; first <= bytes.length; first++) {
            for (int second = first; second <= bytes.length; second++) {
                assertThat(texts(cut(bytes, first, second))).as("cut at %d and %d", first, second).isEqualTo(EXPECTED);
            }
        }
    }

    @Test
    void aFinalLineEndDoesNotMakeAnEmptyLastLine() {
        assertThat(texts(Flux.just("a\nb\n".getBytes(StandardCharsets.UTF_8)))).containsExactly("a", "b");
        assertThat(texts(Flux.just("a\r\n".getBytes(StandardCharsets.UTF_8)))).containsExactly("a");
        assertThat(texts(Flux.just("\n".getBytes(StandardCharsets.UTF_8)))).containsExactly("");
    }

    @Test
    void noContentHasNoLines() {
        assertThat(texts(Flux.empty())).isEmpty();
        assertThat(texts(Flux.just(new byte[0], new byte[0]))).isEmpty();
    }

    @Test
    void keepsBytesThatAreNotUtf8AsTheyAre() {
        byte[] bytes = {(byte) 0xff, (byte) 0xfe, '\n', (byte) 0x80};

        StepVerifier.create(JsonLines.lines(cut(bytes, 1, 3)))
                .assertNext(line -> assertThat(line.bytes()).containsExactly(0xff, 0xfe))
                .assertNext(line -> assertThat(line.bytes()).containsExactly(0x80))
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void refusesALineLongerThanTheLimitNamingIt() {
        byte[] bytes = "ok\n0123456789\nnext\n".getBytes(StandardCharsets.UTF_8);

        StepVerifier.create(JsonLines.lines(cut(bytes, 5, 9), 8))
                .assertNext(line -> assertThat(line.text()).isEqualTo("ok"))
                .expectErrorSatisfies(error -> assertThat(error)
                        .isInstanceOf(InvalidRequestException.class)
                        .hasMessage("line 2 is longer than 8 bytes"))
                .verify(TIMEOUT);
        StepVerifier.create(JsonLines.lines(Flux.just("12345678\r\n123456789".getBytes(StandardCharsets.UTF_8)), 8))
                .assertNext(line -> assertThat(line.text()).isEqualTo("12345678"))
                .expectErrorMessage("line 2 is longer than 8 bytes")
                .verify(TIMEOUT);
    }

    @Test
    void takesOneChunkAtATimeAsLinesAreAsked() {
        AtomicLong requested = new AtomicLong();
        Flux<byte[]> chunks = Flux.just("a\nb\n", "c\n", "d\n", "e\n").map(s -> s.getBytes(StandardCharsets.UTF_8))
                .hide()
                .doOnRequest(requested::addAndGet);

        StepVerifier.create(JsonLines.lines(chunks), 1)
                .assertNext(line -> assertThat(line.text()).isEqualTo("a"))
                .then(() -> assertThat(requested).as("chunks asked for").hasValue(1))
                .thenRequest(4)
                .expectNextCount(4)
                .expectComplete()
                .verify(TIMEOUT);
    }
}
