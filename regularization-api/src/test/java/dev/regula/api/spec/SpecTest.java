package dev.regula.api.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpecTest {
    @Test
    void parsesNamesNumbersWordsSelectorsQuotesAndNestedCalls() {
        Spec s = Spec.parse("  Elastic-Net( L1 = 1e-5, l2=.5, on=weights|layer:dense*, note='a, b', lr=linear(from=0, to=1e-4, steps=10) ) ");
        assertEquals("elastic-net", s.name());
        assertEquals(1e-5, ((SpecValue.Num) s.get("l1")).value());
        assertEquals(0.5, ((SpecValue.Num) s.get("l2")).value());
        assertEquals("weights|layer:dense*", s.get("on").text());
        assertEquals("a, b", s.get("note").text());
        Spec inner = assertInstanceOf(SpecValue.Call.class, s.get("lr")).spec();
        assertEquals("linear", inner.name());
        assertEquals(3, inner.arguments().size());
    }

    @Test
    void bareNameAndEmptyParenthesesHaveNoArguments() {
        assertTrue(Spec.parse("non-negative").arguments().isEmpty());
        assertTrue(Spec.parse("non-negative()").arguments().isEmpty());
    }

    @Test
    void canonicalTextParsesBackToAnEqualSpec() {
        for (String text : new String[] {"l2(lambda=1e-4)", "x(a='q, r', b=inf, c=step(value=1, gamma=0.5, every=2))", "y"}) {
            Spec s = Spec.parse(text);
            assertEquals(s, Spec.parse(s.toString()), text);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|empty spec",
        "l2(lambda=|missing value at end",
        "l2(lambda=1|missing ')'",
        "l2(lambda 1)|expected '=' after key 'lambda'",
        "l2(lambda=1, lambda=2)|key 'lambda' is given twice",
        "l2(lambda=1) extra|unexpected 'e' after the spec",
        "9lives|expected a name",
        "l2(lambda=1 2)|expected ',' or ')' but found '2'",
        "l2(note='open)|unterminated quoted text",
        "l2(=1)|expected a key",
    })
    void malformedTextNamesThePositionAndTheExpectedForm(String text, String problem) {
        SpecException e = assertThrows(SpecException.class, () -> Spec.parse(text));
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertTrue(e.getMessage().contains("name(key=value, ...)") || text.isEmpty(), e.getMessage());
    }

    @Test
    void deeplyNestedSpecsAreRejectedNotOverflowed() {
        String deep = "a(x=".repeat(100) + "1" + ")".repeat(100);
        SpecException e = assertThrows(SpecException.class, () -> Spec.parse(deep));
        assertTrue(e.getMessage().contains("nest deeper"), e.getMessage());
    }

    @Test
    void nullAndHugeTextAreRejected() {
        assertThrows(SpecException.class, () -> Spec.parse(null));
        assertThrows(SpecException.class, () -> Spec.parse("a(x=" + "1".repeat(20_000) + ")"));
    }

    /** Fuzzing found: toString() did not escape backslashes, so a text ending in one did not parse back. */
    @Test
    void quotedTextWithBackslashesAndQuotesRoundTrips() {
        for (String text : new String[] {"x(a='a\\\\')", "x(a='\\\\\\'q')", "x(a='c:\\\\dir name')", "x(a=\"it's\")"}) {
            Spec s = Spec.parse(text);
            assertEquals(s, Spec.parse(s.toString()), text + " printed as " + s);
        }
        assertEquals("a\\", ((SpecValue.Word) Spec.parse("x(a='a\\\\')").get("a")).text());
    }

    /** Fuzzing found: a nested call without arguments printed without "()" and parsed back as a word. */
    @Test
    void nestedCallWithoutArgumentsKeepsItsParentheses() {
        Spec s = Spec.parse("dropout(p=exp())");
        assertInstanceOf(SpecValue.Call.class, s.get("p"));
        assertEquals("dropout(p=exp())", s.toString());
        assertEquals(s, Spec.parse(s.toString()));
    }

    /** Fuzzing found: the quoted word 'inf' printed without quotes and parsed back as a number. */
    @Test
    void quotedWordsThatReadAsNumbersStayQuoted() {
        for (String text : new String[] {"l0(n='inf')", "x(a='1e5', b=\"-2\", c='Infinity')"}) {
            Spec s = Spec.parse(text);
            assertEquals(s, Spec.parse(s.toString()), text + " printed as " + s);
        }
        assertInstanceOf(SpecValue.Word.class, Spec.parse(Spec.parse("l0(n='inf')").toString()).get("n"));
    }
}
