package dev.sluice.providers.mock;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MockTokensTest {

    @Test
    void countsWhitespaceSeparatedWords() {
        assertThat(MockTokens.count("Hello  brave\nnew world")).isEqualTo(4);
        assertThat(MockTokens.count("")).isZero();
        assertThat(MockTokens.count(null)).isZero();
    }

    @Test
    void countsAtLeastOneTokenForNonEmptyText() {
        assertThat(MockTokens.count("   ")).isEqualTo(1);
    }

    @Test
    void cutsTextIntoWordsThatJoinBackExactly() {
        assertThat(MockTokens.pieces("Hello  brave\nnew world ")).containsExactly("Hello", "  brave", "\nnew", " world ");
        assertThat(MockTokens.pieces("  leading")).containsExactly("  leading");
        assertThat(MockTokens.pieces("one")).containsExactly("one");
    }
}
