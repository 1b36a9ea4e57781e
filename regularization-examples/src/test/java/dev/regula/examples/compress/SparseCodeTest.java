package dev.regula.examples.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SparseCodeTest {
    private static final float[] CODEBOOK = {0f, -0.1f, 0.05f, 0.2f};

    @Test
    void decodesToTheQuantisedWeightsWithFillersForLongGaps() {
        Random rnd = new Random(7);
        int[] a = new int[5000];
        for (int i = 0; i < a.length; i++) a[i] = rnd.nextInt(100) < 3 ? 1 + rnd.nextInt(3) : 0;
        a[4999] = 2; // a last entry after a gap
        for (int b = 1; b <= 8; b++) {
            SparseCode c = SparseCode.encode(a, 2, b);
            float[] w = c.decode(CODEBOOK);
            for (int i = 0; i < a.length; i++) assertEquals(CODEBOOK[a[i]], w[i], 0, "bits " + b + ", position " + i);
            for (int g : c.gaps()) assertTrue(g >= 0 && g < (1 << b), "gap " + g + " does not fit " + b + " bits");
        }
    }

    @Test
    void countsFillerEntriesAndPicksTheCheapestIndexWidth() {
        int[] a = new int[40];
        a[0] = 1;
        a[39] = 3; // a gap of 38
        SparseCode two = SparseCode.encode(a, 2, 2); // gaps up to 3: 38 = 9 fillers of 4 positions + 2, then the entry
        assertArrayEquals(new int[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3}, two.codes());
        assertEquals(2, two.nonZero());
        assertEquals(11 * (2 + 2), two.bits());
        SparseCode best = SparseCode.encode(a, 4);
        assertEquals(6, best.indexBits()); // 2 entries of 6 + 2 bits beat every narrower index with its fillers
        assertEquals(16, best.bits());
    }

    @Test
    void anAllZeroTensorCostsNothingButAnEmptyOneIsFine() {
        assertEquals(0, SparseCode.encode(new int[100], 4).bits());
        assertEquals(0, SparseCode.encode(new int[0], 4).bits());
    }

    @Test
    void badCodesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> SparseCode.encode(new int[] {4}, 4));
        assertThrows(IllegalArgumentException.class, () -> SparseCode.encode(new int[] {0}, 1));
    }

    @Test
    void quantizerSendsEachWeightToItsMostResponsibleComponent() {
        MixtureQuantizer q = new MixtureQuantizer(new float[] {0f, -0.1f, 0.1f}, new double[] {Math.log(0.98), Math.log(0.01), Math.log(0.01)},
                new double[] {1e4, 1e4, 1e4});
        assertArrayEquals(new int[] {0, 0, 1, 2, 2}, q.assign(new float[] {0f, 0.03f, -0.09f, 0.08f, 0.5f}));
        assertEquals(0f, q.codebook()[0]);
        assertThrows(IllegalArgumentException.class, () -> new MixtureQuantizer(new float[] {0f}, new double[] {0}, new double[] {1}));
    }
}
