package dev.sluice.core.format.json;

import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.format.json.Json;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {

    @Test
    void treeRoundTripKeepsOrderNumbersAndEscapes() {
        String text = "{\"b\":1,\"a\":[true,null,0.10,12345678901234567890123],\"s\":\"line\\n\\\"quoted\\\" é\"}";

        Object tree = Json.parse(text, "x");

        assertThat(tree).isEqualTo(Map.of("b", 1L, "s", "line\n\"quoted\" é",
                "a", java.util.Arrays.asList(true, null, new BigDecimal("0.10"), new BigInteger("12345678901234567890123"))));
        assertThat(Json.write(tree)).isEqualTo(text);
    }

    @Test
    void malformedJsonIsABadRequestNamingTheParameter() {
        assertThatThrownBy(() -> Json.parse("{\"a\":", "tools[0].parameters"))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.param()).isEqualTo("tools[0].parameters"));
    }

    @Test
    void trailingContentAfterTheValueIsRefused() {
        assertThatThrownBy(() -> Json.parse("{} {}", "body")).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void aFractionalTokenLimitIsNotAnInteger() {
        Map<String, Object> json = Json.parseObject("{\"max_tokens\":1.5,\"ok\":2.0}".getBytes(), "body");

        assertThat(Json.integer(json, "ok", "ok")).isEqualTo(2);
        assertThatThrownBy(() -> Json.integer(json, "max_tokens", "max_tokens"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.param()).isEqualTo("max_tokens"));
    }

    @Test
    void objectBuilderLeavesOutNullValues() {
        assertThat(Json.write(Json.object("a", 1, "b", null, "c", List.of()))).isEqualTo("{\"a\":1,\"c\":[]}");
    }
}
