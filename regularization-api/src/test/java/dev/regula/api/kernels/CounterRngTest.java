package dev.regula.api.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CounterRngTest {
    @Test
    void uniformIsAPureFunctionInZeroOneWithTheRightMean() {
        long key = CounterRng.key(42, CounterRng.stream("dropout1"), 7);
        assertEquals(CounterRng.uniform(key, 123), CounterRng.uniform(key, 123));
        double sum = 0;
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            float u = CounterRng.uniform(key, i);
            assertTrue(u >= 0f && u < 1f);
            sum += u;
        }
        assertEquals(0.5, sum / n, 0.005);
    }

    @Test
    void streamsAndStepsAreIndependentKeys() {
        assertNotEquals(CounterRng.key(1, 2, 3), CounterRng.key(1, 2, 4));
        assertNotEquals(CounterRng.key(1, 2, 3), CounterRng.key(1, 3, 3));
        assertNotEquals(CounterRng.key(1, 2, 3), CounterRng.key(2, 2, 3));
        assertNotEquals(CounterRng.stream("dense1"), CounterRng.stream("dense2"));
    }

    @Test
    void gaussianHasUnitVariance() {
        long key = CounterRng.key(3, 4, 5);
        double s = 0;
        double sq = 0;
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            double g = CounterRng.gaussian(key, i);
            s += g;
            sq += g * g;
        }
        assertEquals(0, s / n, 0.01);
        assertEquals(1, sq / n, 0.02);
    }
}
