package dev.regula.gan.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class MeanSdTest {
    @Test
    void sampleStandardDeviationDividesByNMinusOne() {
        MeanSd s = MeanSd.of(1, 2, 3, 4);
        assertEquals(2.5, s.mean());
        assertEquals(Math.sqrt(5.0 / 3), s.sd(), 1e-15); // Σ(x − 2.5)² = 5, over n − 1 = 3
        assertEquals(4, s.n());
    }

    @Test
    void aSingleValueHasSdZero() {
        assertEquals(new MeanSd(0.7, 0, 1), MeanSd.of(0.7));
    }

    @Test
    void constantValuesHaveSdZeroUpToRounding() {
        MeanSd s = MeanSd.of(0.1, 0.1, 0.1, 0.1, 0.1);
        assertEquals(0.1, s.mean(), 1e-16);
        assertEquals(0, s.sd(), 1e-16);
    }

    @Test
    void aLargeOffsetCostsNoPrecision() {
        // a one-pass Σx² − n·mean² would lose every digit of the variance here
        MeanSd s = MeanSd.of(1e9 + 1, 1e9 + 2, 1e9 + 3);
        assertEquals(1e9 + 2, s.mean());
        assertEquals(1.0, s.sd(), 1e-12);
    }

    @Test
    void formatsAsMeanPlusMinusSd() {
        MeanSd s = new MeanSd(0.85341, 0.01217, 5);
        assertEquals("0.853 ± 0.012", s.format("%.3f"));
        assertEquals("0.853 ± 0.012", s.format(3));
        assertEquals("1 ± 0", s.format(0));
        assertEquals("8.534e-01 ± 1.217e-02", s.format("%.3e"));
    }

    @Test
    void formatUsesADecimalPointWhateverTheDefaultLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertEquals("0.853 ± 0.012", new MeanSd(0.85341, 0.01217, 5).format("%.3f"));
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void nanAndOtherBadValuesAreRejectedWithWhatWasWrong() {
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> MeanSd.of(1, Double.NaN, 3));
        assertTrue(nan.getMessage().contains("value 1 of 3 is NaN") && nan.getMessage().contains("only finite values"), nan.getMessage());
        IllegalArgumentException inf = assertThrows(IllegalArgumentException.class, () -> MeanSd.of(Double.NEGATIVE_INFINITY));
        assertTrue(inf.getMessage().contains("value 0 of 1 is -Infinity"), inf.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, MeanSd::of);
        assertTrue(empty.getMessage().contains("at least one value"), empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MeanSd.of((double[]) null));
    }

    @Test
    void theRecordChecksItsContract() {
        assertThrows(IllegalArgumentException.class, () -> new MeanSd(0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new MeanSd(0, -1, 3));
        assertThrows(IllegalArgumentException.class, () -> new MeanSd(Double.NaN, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> new MeanSd(0, Double.POSITIVE_INFINITY, 3));
        IllegalArgumentException single = assertThrows(IllegalArgumentException.class, () -> new MeanSd(1, 0.5, 1));
        assertTrue(single.getMessage().contains("sd must be 0 for a single value"), single.getMessage());
    }

    @Test
    void aPatternThatCannotFormatADoubleIsRejected() {
        MeanSd s = MeanSd.of(1, 2);
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> s.format("%d"));
        assertTrue(bad.getMessage().contains("pattern \"%d\" cannot format a double"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.format((String) null));
        assertThrows(IllegalArgumentException.class, () -> s.format(-1));
    }
}
