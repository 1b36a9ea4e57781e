package dev.regula.api.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.spec.Spec;
import dev.regula.api.spec.SpecException;
import org.junit.jupiter.api.Test;

class ScheduleTest {
    private static Schedule parse(String text) {
        return Schedule.parse(Spec.parse("x(v=" + text + ")").get("v"));
    }

    @Test
    void formsGiveTheirDocumentedValues() {
        assertEquals(0.3, parse("0.3").valueAt(999, 9));
        Schedule lin = parse("linear(from=0, to=1, steps=10)");
        assertEquals(0, lin.valueAt(0, 0));
        assertEquals(0.5, lin.valueAt(5, 0), 1e-12);
        assertEquals(1, lin.valueAt(50, 3));
        Schedule cos = parse("cosine(from=1, to=0, epochs=4)");
        assertEquals(1, cos.valueAt(0, 0), 1e-12);
        assertEquals(0.5, cos.valueAt(123, 2), 1e-12);
        assertEquals(0, cos.valueAt(0, 4), 1e-12);
        Schedule step = parse("step(value=0.1, gamma=0.5, every=2)");
        assertEquals(0.1, step.valueAt(0, 1), 1e-12);
        assertEquals(0.05, step.valueAt(0, 2), 1e-12);
        assertEquals(0.1 * 0.9 * 0.9, parse("exp(value=0.1, gamma=0.9)").valueAt(0, 2), 1e-12);
        Schedule warm = parse("warmup(value=0.2, steps=4)");
        assertEquals(0.1, warm.valueAt(2, 0), 1e-12);
        assertEquals(0.2, warm.valueAt(8, 0), 1e-12);
    }

    @Test
    void textRoundTrips() {
        for (String t : new String[] {"linear(from=0.0, to=1.0, steps=10)", "cosine(from=1.0, to=0.0, epochs=4)",
                "step(value=0.1, gamma=0.5, every=2)", "exp(value=0.1, gamma=0.9)", "warmup(value=0.2, steps=4)"}) {
            assertEquals(t, parse(t).text());
        }
    }

    @Test
    void badSchedulesSayWhatIsAllowed() {
        assertTrue(assertThrows(SpecException.class, () -> parse("linear(from=0, to=1)")).getMessage().contains("steps= or epochs="));
        assertTrue(assertThrows(SpecException.class, () -> parse("linear(from=0, to=1, steps=0)")).getMessage().contains(">= 1"));
        assertTrue(assertThrows(SpecException.class, () -> parse("linear(from=0, to=1, steps=3, speed=2)")).getMessage().contains("no key 'speed'"));
        assertTrue(assertThrows(SpecException.class, () -> parse("linear(from=nan, to=1, steps=3)")).getMessage().contains("finite number"));
    }

    /** Fuzzing found: gamma=-1 flipped the sign every epoch while extremes() reported only +value. */
    @Test
    void negativeGammaIsRejectedBecauseItEscapesTheCheckedRange() {
        assertTrue(assertThrows(SpecException.class, () -> parse("exp(value=0.5, gamma=-1)")).getMessage().contains("gamma must be >= 0"));
        assertTrue(assertThrows(SpecException.class, () -> parse("step(value=0.5, gamma=-0.5, every=2)")).getMessage().contains("gamma must be >= 0"));
        assertEquals(0, parse("exp(value=0.5, gamma=0)").valueAt(0, 1));
    }

    /** Fuzzing found: exp(value=0, gamma=1.8) gave 0·∞ = NaN once gamma^epoch overflowed. */
    @Test
    void aGrowingDecayFromZeroStaysZeroInsteadOfNaN() {
        Schedule s = parse("exp(value=0, gamma=1.8)");
        assertEquals(0, s.valueAt(0, Integer.MAX_VALUE));
        for (double x : s.extremes()) assertEquals(0, x);
        assertEquals(Double.POSITIVE_INFINITY, parse("exp(value=0.1, gamma=1.8)").valueAt(0, Integer.MAX_VALUE));
    }
}
