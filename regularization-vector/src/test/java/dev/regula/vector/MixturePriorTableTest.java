package dev.regula.vector;

import static dev.regula.vector.MixturePriorKernelTest.OFF;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.regula.api.kernels.Kernels;
import dev.regula.core.kernels.ScalarKernels;
import dev.regula.vector.MixturePriorKernelTest.Call;
import dev.regula.vector.MixturePriorKernelTest.Mixture;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import jdk.incubator.vector.DoubleVector;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tabulated mixture-prior gradient ({@link MixturePriorTable}) is held to the same tolerance
 * against the double reference as the direct kernel ({@link MixturePriorKernelTest#check}): per
 * value 1e-5 of scale·Σ_j r_ij·τ_j·|d_ij| (plus the droppable terms), per component sum 1e-5 of
 * the sum of the absolute terms; bit for bit the same on one thread and on two. Each case asserts
 * that the table took the call (a declined call would test the direct kernel again).
 */
class MixturePriorTableTest {
    /**
     * Sizes whose window (one cell per {@value MixturePriorTable#VALUES_PER_CELL} values) holds
     * nearly all values: the second layer of the reference MLP, awkward sizes, the first layer.
     */
    static IntStream layerSizes() {
        return IntStream.of(65_536, 65_536 + 1, 65_536 + 17, 200_704);
    }

    /** The narrow mixture's means span ±0.2: only the first layer's window holds it. */
    static IntStream firstLayerSizes() {
        return IntStream.of(200_704 - 17, 200_704);
    }

    /** The table itself, asserting that it took the call; what lies outside its window goes to the direct kernel. */
    private static Call table(boolean mustTake) {
        MixturePriorKernelTest.assumeVectorModule();
        assumeTrue(DoubleVector.SPECIES_PREFERRED.length() >= 4, "128-bit vectors: the table declines every call");
        Kernels direct = KernelsTestSupport.vector(1);
        return (n, x, xOff, g, gOff, scale, k, mu, halfTau, logWeight, sums) -> {
            boolean took = MixturePriorTable.apply(n, x, xOff, g, gOff, (float) scale, k, mu, halfTau, logWeight, sums,
                    null, () -> Double.POSITIVE_INFINITY, direct::mixturePriorGradient);
            if (mustTake) assertTrue(took, "the table declined " + n + " values");
        };
    }

    private static void bothWays(int n, Mixture m, float[] x, double scale, Random rnd) {
        MixturePriorKernelTest.check(n, m, x, scale, rnd, table(true), false);
        MixturePriorKernelTest.check(n, m, x, scale, rnd, KernelsTestSupport.vector(2)::mixturePriorGradient, true);
    }

    /** After retraining: narrow, overlapping components, 90 % of the weights at zero, 1 % outliers at ±0.5. */
    @ParameterizedTest
    @MethodSource("layerSizes")
    void agreesWithTheDoubleReferenceAfterRetraining(int n) {
        Mixture m = MixturePriorKernelTest.clustered(1);
        Random rnd = new Random(53L * n);
        bothWays(n, m, MixturePriorKernelTest.clusteredWeights(rnd, n, m), 1e-5, rnd);
    }

    /** The mixture training starts from: 16 components over ±0.3, σ their spacing. */
    @ParameterizedTest
    @MethodSource("layerSizes")
    void agreesWithTheDoubleReferenceAtTheStartOfTraining(int n) {
        Mixture m = Mixture.of(16, 0.3, 0.3 * 2 / 14);
        Random rnd = new Random(59L * n);
        bothWays(n, m, MixturePriorKernelTest.weights(rnd, n, m, 0.05), 1e-4, rnd);
    }

    @ParameterizedTest
    @MethodSource("firstLayerSizes")
    void agreesWithTheDoubleReferenceOnANarrowMixture(int n) {
        Mixture m = Mixture.of(16, 0.2, 0.004);
        Random rnd = new Random(61L * n);
        bothWays(n, m, MixturePriorKernelTest.weights(rnd, n, m, 0.003), 1e-5, rnd);
    }

    /**
     * Weights within a cell or two of a mean, spread inside their cells: the binned Σ r·h·d² takes
     * back the chord's excess from each cell's Σ t and Σ t², exactly (from the mean place alone it
     * was off by n·Var(t)·h·h², 500 times the tolerance here). And a weight a millionth of a cell
     * below 0, whose place 1 + x/h would be rounded: its gradient keeps its relative precision.
     */
    @Test
    void weightsNearAMeanAndJustBelowZeroAgreeWithTheDoubleReference() {
        Mixture wide = Mixture.of(new double[] {0}, new double[] {0.2}, new double[] {1});
        int n = MixturePriorTable.LEAST_VALUES;
        Random rnd = new Random(5);
        float[] near = new float[n + OFF + 3];
        Arrays.fill(near, Float.NaN);
        for (int i = 0; i < n; i++) near[OFF + i] = (float) (0.003 * (2 * rnd.nextDouble() - 1));
        bothWays(n, wide, near, 1e-5, rnd);
        float[] belowZero = new float[n + OFF + 3];
        Arrays.fill(belowZero, Float.NaN);
        for (int i = 0; i < n; i++) belowZero[OFF + i] = (float) (0.01 * (2 * rnd.nextDouble() - 1));
        for (int i = 0; i < n; i += 1000) belowZero[OFF + i] = -3e-9f * (1 + i / 1000);
        bothWays(n, wide, belowZero, 1e-5, rnd);
        // the contract's bound itself for those values, 1e-5 of λ·τ·|d| (the check above allows a floor of τ·1e-3)
        float[] gt = new float[belowZero.length];
        float[] gr = new float[belowZero.length];
        table(true).apply(n, belowZero, OFF, gt, OFF, 1.0, 1, wide.mu(), wide.halfTau(), wide.logWeight(), new double[3]);
        new ScalarKernels().mixturePriorGradient(n, belowZero, OFF, gr, OFF, 1.0, 1, wide.mu(), wide.halfTau(), wide.logWeight(),
                new double[3]);
        for (int i = 0; i < n; i += 1000) {
            double bound = 1e-5 * 2 * wide.halfTau()[0] * Math.abs(belowZero[OFF + i]) + Math.ulp(gr[OFF + i]);
            assertEquals(gr[OFF + i], gt[OFF + i], bound, "the gradient of " + belowZero[OFF + i]);
        }
    }

    @Test
    void declinesAndWritesNothingForTooFewValuesANaNOrValuesSpreadBeyondItsWindow() {
        MixturePriorKernelTest.assumeVectorModule();
        Mixture m = Mixture.of(16, 0.2, 0.004);
        int k = m.mu().length;
        int n = MixturePriorTable.LEAST_VALUES;
        Random rnd = new Random(3);
        float[] few = MixturePriorKernelTest.weights(rnd, n - 1, m, 0.003);
        float[] withNaN = MixturePriorKernelTest.weights(rnd, n, m, 0.003);
        withNaN[OFF + n / 2] = Float.NaN;
        float[] spread = new float[n + OFF];
        for (int i = 0; i < n; i++) spread[OFF + i] = (float) (100 * rnd.nextGaussian()); // most cells hold one value
        for (float[] x : new float[][] {few, withNaN, spread}) {
            int len = x == few ? n - 1 : n;
            float[] g = new float[len];
            double[] sums = new double[3 * k];
            boolean took = MixturePriorTable.apply(len, x, OFF, g, 0, 1e-5f, k, m.mu(), m.halfTau(), m.logWeight(), sums,
                    null, () -> Double.POSITIVE_INFINITY, (a, b, c, d, e, f, h, i, j, l, o) -> {
                        throw new AssertionError("nothing is computed directly when the table declines");
                    });
            assertFalse(took);
            assertArrayEquals(new float[len], g);
            assertArrayEquals(new double[3 * k], sums);
        }
    }

    /**
     * The table is used where it costs less than the direct kernel's exponentials: at the mixture
     * training starts from (wide components, each weight meeting most of them, the weights on few
     * cells) it takes the call; after retraining with narrow components far apart (the weights on
     * as many cells as the window allows, each meeting one or two components) it declines, and
     * the kernel's result is the direct kernel's, bit for bit.
     */
    @Test
    void isUsedWhereItCostsLessThanTheExponentialsItSaves() {
        MixturePriorKernelTest.assumeVectorModule();
        assumeTrue(DoubleVector.SPECIES_PREFERRED.length() >= 4, "128-bit vectors: the table declines every call");
        int n = 200_704;
        Random rnd = new Random(67);
        Mixture start = Mixture.of(16, 0.3, 0.3 * 2 / 14);
        assertTrue(takes(n, start, MixturePriorKernelTest.weights(rnd, n, start, 0.05)), "the mixture training starts from");
        double[] means = new double[16];
        double[] pi = new double[16];
        for (int j = 1; j < 16; j++) {
            means[j] = (j % 2 == 0 ? 1 : -1) * 0.07 * ((j + 1) / 2);
            pi[j] = 0.07 / 15;
        }
        pi[0] = 0.93;
        Mixture retrained = mixture(means, 0.002, pi);
        float[] x = new float[n + OFF];
        for (int i = 0; i < n; i++) {
            int j = rnd.nextInt(100) < 93 ? 0 : 1 + rnd.nextInt(15);
            x[OFF + i] = (float) (means[j] + 0.002 * rnd.nextGaussian());
        }
        assertFalse(takes(n, retrained, x), "narrow components far apart");
        Kernels kernels = KernelsTestSupport.vector(2);
        int k = 16;
        float[] g = new float[n];
        float[] gDirect = new float[n];
        double[] sums = new double[3 * k];
        double[] sumsDirect = new double[3 * k];
        kernels.mixturePriorGradient(n, x, OFF, g, 0, 1e-5, k, retrained.mu(), retrained.halfTau(), retrained.logWeight(), sums);
        MixturePriorKernel.Constants c = MixturePriorKernel.Constants.of(k, retrained.mu(), retrained.halfTau(), retrained.logWeight());
        double[] partial = new double[3 * k * MixturePriorKernel.chunks(n)];
        MixturePriorKernel.Buckets plan = MixturePriorKernel.plan(n, x, OFF, k, c.mu(), c.c2(), c.v2());
        MixturePriorKernel.run(0, MixturePriorKernel.chunks(n), n, x, OFF, gDirect, 0, 1e-5f, k, c.mu(), c.c2(), c.v2(), c.tau(),
                plan, MixtureInPlace.of(plan, n, x, OFF, c),
                MixtureGroups.of(plan, MixtureInPlace.held(plan, n, x, OFF), MixtureInPlace.of(plan, n, x, OFF, c), c), partial);
        MixturePriorKernel.addPartials(partial, MixturePriorKernel.chunks(n), k, sumsDirect);
        assertArrayEquals(gDirect, g, "the direct kernel's gradient");
        assertArrayEquals(sumsDirect, sums, "the direct kernel's sums");
    }

    /** The cost rule at its bounds: below 3n/14 cells it pays without asking for the reach; above, as (2 + reach)·n. */
    @Test
    void paysWhereItsCellsCostLessThanTheExponentialsItSaves() {
        MixturePriorKernelTest.assumeVectorModule();
        int n = 1400;
        assertTrue(MixturePriorTable.pays(n, 300, () -> {
            throw new AssertionError("a value meets at least one component: the reach is not needed");
        }));
        assertTrue(MixturePriorTable.pays(n, 500, () -> 3.0)); // 14·500 = (2 + 3)·1400
        assertFalse(MixturePriorTable.pays(n, 500, () -> 2.99));
        assertFalse(MixturePriorTable.pays(n, 700, () -> 4.99));
        assertTrue(MixturePriorTable.pays(n, 700, () -> 5.0));
    }

    /** Whether the table takes the call when the direct kernel would meet the components its plan counts. */
    private static boolean takes(int n, Mixture m, float[] x) {
        int k = m.mu().length;
        MixturePriorKernel.Constants c = MixturePriorKernel.Constants.of(k, m.mu(), m.halfTau(), m.logWeight());
        double reach = MixturePriorKernel.plan(n, x, OFF, k, c.mu(), c.c2(), c.v2()).meanReach(n, x, OFF);
        return MixturePriorTable.apply(n, x, OFF, new float[n], 0, 1e-5f, k, m.mu(), m.halfTau(), m.logWeight(), new double[3 * k],
                null, () -> reach, (a, b, cc, d, e, f, h, i, j, l, o) -> { });
    }

    /** A mixture of the given means, σ and weights (π normalised). */
    private static Mixture mixture(double[] means, double sigma, double[] pi) {
        int k = means.length;
        double[] mu = new double[k];
        double[] h = new double[k];
        double[] w = new double[k];
        double total = 0;
        for (double p : pi) total += p;
        for (int j = 0; j < k; j++) {
            mu[j] = (float) means[j];
            double tau = 1 / (sigma * sigma);
            h[j] = tau / 2;
            w[j] = Math.log(pi[j] / total) + 0.5 * Math.log(tau) - 0.5 * Math.log(2 * Math.PI);
        }
        return new Mixture(mu, h, w);
    }

    private static void bothWaysWhoeverTakes(int n, Mixture m, float[] x, double scale) {
        MixturePriorKernelTest.check(n, m, x, scale, new Random(n), table(false), false);
        MixturePriorKernelTest.check(n, m, x, scale, new Random(n), KernelsTestSupport.vector(2)::mixturePriorGradient, true);
    }

    /**
     * Weights piled exactly at the components' means, as after quantisation: linear binning alone
     * would put h_j·h²·t(1 − t) into Σ r_j·h_j·d_j² for each, against a true sum of about 0.
     */
    @Test
    void weightsPiledAtTheMeansAgreeWithTheDoubleReference() {
        Mixture two = mixture(new double[] {-0.1, 0.1}, 0.01, new double[] {1, 1});
        int n = 32_768;
        float[] x = new float[n + OFF];
        for (int i = 0; i < n; i++) x[OFF + i] = (float) two.mu()[i % 2];
        bothWaysWhoeverTakes(n, two, x, 1e-5);
        Mixture m = MixturePriorKernelTest.clustered(1);
        n = 65_536;
        x = new float[n + OFF];
        Random rnd = new Random(11);
        for (int i = 0; i < n; i++) x[OFF + i] = (float) (rnd.nextInt(10) < 9 ? 0 : m.mu()[1 + rnd.nextInt(10)]);
        bothWaysWhoeverTakes(n, m, x, 1e-5);
    }

    /**
     * Awkward inputs: the last block of nodes shorter than a vector (its lanes run past it, far from
     * the only component), every value in one cell, and values thousands of σ from the mixture.
     */
    @Test
    void awkwardGridsAgreeWithTheDoubleReference() {
        Mixture one = new Mixture(new double[] {0}, new double[] {0.125}, new double[] {-0.5 * Math.log(2 * Math.PI) - 0.5 * Math.log(4)});
        int n = MixturePriorTable.LEAST_VALUES;
        float[] far = new float[n + OFF];
        for (int i = 0; i < n; i++) far[OFF + i] = 130_000f + (i % 8193) * 0x1p-7f; // 65,000 σ out; one value beyond the window
        bothWaysWhoeverTakes(n, one, far, 1e-5);
        Mixture m = Mixture.of(16, 0.2, 0.004);
        float[] zeros = new float[20_000 + OFF];
        bothWaysWhoeverTakes(20_000, m, zeros, 1e-5);
        float[] distant = MixturePriorKernelTest.weights(new Random(5), 65_536, m, 0.003);
        for (int i = 0; i < 65_536; i += 97) distant[OFF + i] = 40f * (i % 2 == 0 ? 1 : -1);
        bothWaysWhoeverTakes(65_536, m, distant, 1e-5);
    }

    /**
     * On the table's own path (through the kernels it could decline unseen), one thread and two
     * give the same bits, and the values it computes directly reach the direct computation in
     * their stored order: after retraining, where cells fail their check and outliers lie outside
     * the window, at sizes that are no multiple of the split's alignment. The direct computation
     * here is the whole kernel, which would take the table again: that nested call declines.
     */
    @ParameterizedTest
    @ValueSource(ints = {65_536 + 17, 200_704 - 17})
    void isTheSameOnOneThreadAndOnTwoAndListsTheDirectValuesInOrder(int n) {
        MixturePriorKernelTest.assumeVectorModule();
        assumeTrue(DoubleVector.SPECIES_PREFERRED.length() >= 4, "128-bit vectors: the table declines every call");
        Mixture m = MixturePriorKernelTest.clustered(1);
        int k = m.mu().length;
        float[] x = MixturePriorKernelTest.clusteredWeights(new Random(71L * n), n, m);
        Kernels kernels = KernelsTestSupport.vector(1);
        float[][] g = new float[2][n];
        double[][] sums = new double[2][3 * k];
        List<float[]> direct = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            WorkerTeam team = run == 0 ? null : new WorkerTeam(2);
            boolean took = MixturePriorTable.apply(n, x, OFF, g[run], 0, 1e-5f, k, m.mu(), m.halfTau(), m.logWeight(),
                    sums[run], team, () -> Double.POSITIVE_INFINITY, (len, xs, xo, gs, go, scale, kk, mu, ht, lw, su) -> {
                        direct.add(Arrays.copyOfRange(xs, xo, xo + len));
                        assertFalse(MixturePriorTable.apply(len, xs, xo, gs, go, (float) scale, kk, mu, ht, lw, su, null,
                                () -> Double.POSITIVE_INFINITY, (a, b, c, d, e, f, h, i, j, l, o) -> { }), "nested call");
                        kernels.mixturePriorGradient(len, xs, xo, gs, go, scale, kk, mu, ht, lw, su);
                    });
            assertTrue(took, "the table took " + n + " values");
        }
        assertArrayEquals(g[0], g[1], "gradient, 1 and 2 threads");
        assertArrayEquals(sums[0], sums[1], "sums, 1 and 2 threads");
        assertEquals(2, direct.size());
        assertArrayEquals(direct.get(0), direct.get(1), "the values computed directly, 1 and 2 threads");
        float[] listed = direct.get(0);
        assertTrue(listed.length > 0, "some values are computed directly");
        int q = 0;
        for (int i = 0; i < n && q < listed.length; i++) {
            if (Float.floatToRawIntBits(x[OFF + i]) == Float.floatToRawIntBits(listed[q])) q++;
        }
        assertEquals(listed.length, q, "the values computed directly, in their stored order");
    }

    /** A checked cell's entry is never the sentinel of a cell computed directly, and interpolates the same. */
    @Test
    void aCheckedEntryIsNeverTheDirectSentinel() {
        MixturePriorKernelTest.assumeVectorModule();
        assertEquals(0L, MixturePriorTable.checkedEntry(0f, -0f));
        assertTrue(MixturePriorTable.checkedEntry(0f, -0f) != MixturePriorTable.DIRECT);
        long entry = MixturePriorTable.checkedEntry(1.5f, -0.25f);
        assertEquals(1.5f, Float.intBitsToFloat((int) entry));
        assertEquals(-0.25f, Float.intBitsToFloat((int) (entry >>> 32)));
    }
}
