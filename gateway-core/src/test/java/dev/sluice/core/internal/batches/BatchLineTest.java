package dev.sluice.core.internal.batches;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading one line of a batch input file: a request line, or a value saying why it cannot be read. */
class BatchLineTest {

    private static ReadLine read(String line) {
        return BatchLine.read(7, line.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aRequestLineKeepsItsFieldsAndItsBodyBytes() {
        ReadLine read = read("{\"custom_id\":\"a\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"m\"}}");

        assertThat(read).isInstanceOfSatisfying(BatchLine.class, line -> {
            assertThat(line.number()).isEqualTo(7);
            assertThat(line.customId()).isEqualTo("a");
            assertThat(line.method()).isEqualTo("POST");
            assertThat(line.url()).isEqualTo("/v1/chat/completions");
            assertThat(new String(line.body(), StandardCharsets.UTF_8)).isEqualTo("{\"model\":\"m\"}");
        });
    }

    @Test
    void anUnreadableLineSaysWhatIsWrongWithIt() {
        assertThat(read("[1]")).isEqualTo(new ReadLine.Unreadable("is not a JSON object"));
        assertThat(read("{\"custom_id\":\"a\"} {}")).isEqualTo(new ReadLine.Unreadable("has content after its JSON object"));
        assertThat(read("{\"custom_id\":")).isEqualTo(new ReadLine.Unreadable("is not valid JSON"));
    }
}
