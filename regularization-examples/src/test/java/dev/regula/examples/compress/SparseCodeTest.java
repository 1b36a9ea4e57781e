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

    @Test
    void packedEntriesUnpackToTheSameCodeAndRejectAShortStream() {
        java.util.Random rnd = new java.util.Random(7);
        for (int trial = 0; trial < 50; trial++) {
            int[] a = new int[rnd.nextInt(2000)];
            for (int i = 0; i < a.length; i++) a[i] = rnd.nextInt(10) < 8 ? 0 : 1 + rnd.nextInt(6);
            SparseCode c = SparseCode.encode(a, 7);
            byte[] packed = c.pack();
            assertEquals((c.bits() + 7) / 8, packed.length);
            SparseCode back = SparseCode.unpack(packed, c.codes().length, c.indexBits(), c.codeBits(), c.size());
            assertArrayEquals(c.codes(), back.codes());
            assertArrayEquals(c.gaps(), back.gaps());
            assertEquals(c.nonZero(), back.nonZero());
            float[] book = {0, 1, 2, 3, 4, 5, 6};
            assertArrayEquals(c.decode(book), back.decode(book));
        }
        SparseCode c = SparseCode.encode(new int[] {0, 3, 0, 0, 1}, 4);
        byte[] packed = c.pack();
        var e = assertThrows(IllegalArgumentException.class,
                () -> SparseCode.unpack(java.util.Arrays.copyOf(packed, packed.length - 1), c.codes().length, c.indexBits(), c.codeBits(), 5));
        assertTrue(e.getMessage().contains("bytes"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SparseCode.unpack(packed, c.codes().length, c.indexBits(), c.codeBits(), 3));
        assertTrue(e.getMessage().contains("lands at position"), e.getMessage());
    }

    @Test
    void closeComponentsMergeAndThoseNearZeroJoinTheZeroComponent() {
        double l = Math.log(0.1);
        MixtureQuantizer q = new MixtureQuantizer(new float[] {0f, 0.005f, 0.2f, 0.21f, -0.3f, 0.5f},
                new double[] {Math.log(0.5), l, l, l, l, Math.log(0.1)}, new double[] {1e4, 1e4, 1e4, 1e4, 1e4, 1e4});
        MixtureQuantizer m = q.merged(0.02);
        assertArrayEquals(new float[] {0f, -0.3f, 0.205f, 0.5f}, m.means(), 1e-6f);
        assertEquals(Math.log(0.6), m.logPi()[0], 1e-12);
        assertEquals(Math.log(0.2), m.logPi()[2], 1e-12);
        // the merged pair's variance: 1e-4 of each plus the spread of the means (0.005²)
        assertEquals(1 / (1e-4 + 0.005 * 0.005), m.precisions()[2], 1e-6 / (1e-4 * 1e-4));
        assertArrayEquals(q.means(), q.merged(0).means());
        assertThrows(IllegalArgumentException.class, () -> q.merged(-1));
    }
}
