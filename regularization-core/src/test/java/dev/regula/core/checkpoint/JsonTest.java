package dev.regula.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.core.io.JsonText;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void parsesEveryKindOfValue() throws Exception {
        Object v = Json.parse(" {\"a\": [1, -2.5e3, 0], \"b\": {\"c\": \"x\\u00e9\\n\\\"\\/\"}, \"t\": true, \"f\": false,"
                + " \"n\": null, \"e\": {}, \"l\": []}  ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of(new BigDecimal("1"), new BigDecimal("-2.5e3"), new BigDecimal("0")), m.get("a"));
        assertEquals(Map.of("c", "xé\n\"/"), m.get("b"));
        assertEquals(Boolean.TRUE, m.get("t"));
        assertEquals(Boolean.FALSE, m.get("f"));
        assertSame(Json.NULL, m.get("n"));
        assertEquals(Map.of(), m.get("e"));
        assertEquals(List.of(), m.get("l"));
        assertEquals(new BigDecimal("-0.5"), Json.parse("-0.5"));
        assertEquals("\uD83D\uDE00", Json.parse("\"\\ud83d\\ude00\""));
    }

    @Test
    void quoteRoundTripsAnyString() throws Exception {
        String s = "quote \" backslash \\ tab \t nl \n ctrl \u0001 unicode λ 😀";
        assertEquals(s, Json.parse(JsonText.quote(s)));
    }

    @Test
    void writtenTextParsesBackWithNonFiniteNumbersAsNull() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name \"x\"\n", List.of(1, 2.5, -0.125f, true, "s"));
        m.put("nested", Map.of("k", Arrays.asList(Double.NaN, Float.POSITIVE_INFINITY, null)));
        m.put("other", new StringBuilder("as text"));
        String text = JsonText.write(m);
        assertEquals(1, text.lines().count());
        Map<?, ?> back = (Map<?, ?>) Json.parse(text);
        assertEquals(List.of(new BigDecimal("1"), new BigDecimal("2.5"), new BigDecimal("-0.125"), Boolean.TRUE, "s"),
                back.get("name \"x\"\n"));
        assertEquals(List.of(Json.NULL, Json.NULL, Json.NULL), ((Map<?, ?>) back.get("nested")).get("k"));
        assertEquals("as text", back.get("other"));
        assertEquals("null", JsonText.number(Double.NEGATIVE_INFINITY));
        assertEquals("1.0E-9", JsonText.number(1e-9));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonText.write(List.of(new float[1])));
        assertTrue(e.getMessage().contains("cannot write a [F"), e.getMessage());
    }

    @Test
    void rejectsWhatRfc8259Rejects() {
        for (String bad : new String[] {"", "01", "1.", ".5", "+1", "1e", "-", "[1,]", "{\"a\" 1}", "{\"a\":1,}",
            "'x'", "\"tab\tinside\"", "\"unterminated", "tru", "nul", "[1 2]", "{1:2}", "\"\\u12g4\"", "{} {}", "NaN",
            "1e1234567"}) {
            assertThrows(Json.JsonException.class, () -> Json.parse(bad), bad);
        }
    }
}
