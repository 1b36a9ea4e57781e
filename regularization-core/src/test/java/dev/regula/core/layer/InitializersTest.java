package dev.regula.core.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Initializers: the DCGAN normal initialisation and constants. */
class InitializersTest {
    @Test
    void normalIsDeterministicAndHasTheRequestedSpread() {
        Conv2d conv = new Conv2d("c", 16, 32, 4, 2, 1, 0);
        Initializers.normal(conv.weight(), 0.02, 42);
        float[] first = conv.weight().value().data().clone();
        double sum = 0;
        double sq = 0;
        for (float v : first) {
            sum += v;
            sq += (double) v * v;
        }
        int n = first.length;
        assertEquals(0, sum / n, 0.02 * 4 / Math.sqrt(n));
        assertEquals(0.02, Math.sqrt(sq / n - (sum / n) * (sum / n)), 0.002);
        Initializers.normal(conv.weight(), 0.02, 42);
        assertArrayEquals(first, conv.weight().value().data());
        Initializers.normal(conv.weight(), 0.02, 43);
        assertNotEquals(first[0], conv.weight().value().data()[0]);
        Initializers.constant(conv.bias(), 0.5f);
        for (float v : conv.bias().value().data()) assertEquals(0.5f, v);
        assertThrows(IllegalArgumentException.class, () -> Initializers.normal(conv.weight(), -1, 0));
        assertThrows(IllegalArgumentException.class, () -> Initializers.constant(conv.bias(), Float.NaN));
    }
}
