package dev.sluice.core.internal.governance;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class RequestEstimateTest {

    private static RequestEstimate of(String body) {
        return RequestEstimate.of(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void countsThePromptTextAtFourCharactersATokenRoundedUp() {
        RequestEstimate estimate = of("{\"model\":\"openai/gpt-4o\",\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},"
                + "{\"role\":\"user\",\"content\":\"hello there\"}]}");

        assertThat(estimate.promptTokens()).as("19 characters of text; model and roles are not text").isEqualTo(5);
        assertThat(estimate.outputLimit()).isZero();
    }

    @Test
    void readsTheOutputLimitOfEveryWireFormat() {
        assertThat(of("{\"max_tokens\":64}").outputLimit()).isEqualTo(64);
        assertThat(of("{\"max_completion_tokens\":65}").outputLimit()).isEqualTo(65);
        assertThat(of("{\"max_output_tokens\":66}").outputLimit()).isEqualTo(66);
        assertThat(of("{\"contents\":[],\"generationConfig\":{\"maxOutputTokens\":67}}").outputLimit()).isEqualTo(67);
    }

    @Test
    void countsTextInsideArraysAndNestedParts() {
        RequestEstimate estimate = of("{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"abcdefgh\"}]}],\"stop\":[\"abcd\"]}");

        assertThat(estimate.promptTokens()).isEqualTo(3);
    }

    @Test
    void aBodyThatIsNotJsonCountsWhatWasReadBeforeItBroke() {
        assertThat(of("{\"content\":\"abcdefgh\",").promptTokens()).isEqualTo(2);
        assertThat(of("not json").promptTokens()).isZero();
    }
}
