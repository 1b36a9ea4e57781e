package dev.regula.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.regula.api.kernels.Kernels;
import dev.regula.core.kernels.ScalarKernels;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The SIMD mixture-prior gradient (float lanes, an exponential of its own) agrees with core's
 * double reference. Stated tolerance, on the mixtures soft weight sharing starts from (16
 * components spaced over the weights' range, σ = the spacing) and ends with (narrow components,
 * σ = 0.004, weights clustered around them, a few outliers): per value, |Δg| ≤ 1e-5 of
 * scale·Σ_j r_ij·τ_j·|d_ij|, plus 1e-5 of scale·τ_max·1e-3 for values whose gradient cancels to
 * about zero, plus the terms the kernel may drop (those of responsibility r_ij below
 * {@link #DROPPABLE}: their exponent is more than {@link MixturePriorKernel#NEGLIGIBLE} binary
 * orders below the value's largest), scale·Σ_{r_ij &lt; 2^−23} r_ij·τ_j·|d_ij|; per component
 * sum, |Δ| ≤ 1e-5 of the sum of the absolute terms, plus the droppable ones' sum, plus 1e-9·n. The
 * means are floats, as soft weight sharing keeps them (a mean rounded to float moves every
 * d_ij = x_i − μ_j by its rounding error, which for τ = 6e4 shifts a sum by 1e-4 relative). On
 * awkward sizes: empty, one value, species lengths ± 1, block and chunk boundaries ± 1, with
 * offsets; independent of the thread count bit for bit.
 */
class MixturePriorKernelTest {
    private static final double TOLERANCE = 1e-5;
    /**
     * A term whose responsibility is below this may be missing from the kernel's result: the
     * kernel drops a component where its term is under 2^−NEGLIGIBLE of the value's largest (so
     * its responsibility is under 2^−24), and this allows a factor 2 for the float exponents.
     */
    private static final double DROPPABLE = 2 * Math.scalb(1.0, -(int) MixturePriorKernel.NEGLIGIBLE);
    static final int OFF = 5;

    static IntStream sizes() {
        int b = MixturePriorKernel.BLOCK;
        return IntStream.of(0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 63, 65, b - 1, b, b + 1, 1000);
    }

    /** Past one and two chunks, the unit of the thread split (slow before C2 compiles the kernel: only here). */
    static IntStream chunkSizes() {
        int c = MixturePriorKernel.CHUNK;
        return IntStream.of(c + 1, 2 * c + 17);
    }

    /** A mixture: means, halfTau, logWeight (π_0 = 0.99 at 0, the rest equal). */
    record Mixture(double[] mu, double[] halfTau, double[] logWeight) {
        static Mixture of(int k, double range, double sigma) {
            double[] means = new double[k];
            double[] sigmas = new double[k];
            double[] pis = new double[k];
            for (int j = 0; j < k; j++) {
                means[j] = j == 0 ? 0 : -range + 2 * range * (j - 1) / (k - 2);
                sigmas[j] = sigma;
                pis[j] = j == 0 ? 0.99 : 0.01 / (k - 1);
            }
            return of(means, sigmas, pis);
        }

        /** The mixture of these means (rounded to float, as the means tensor holds them), σ and π. */
        static Mixture of(double[] means, double[] sigmas, double[] pis) {
            int k = means.length;
            double[] mu = new double[k];
            double[] h = new double[k];
            double[] w = new double[k];
            for (int j = 0; j < k; j++) {
                mu[j] = (float) means[j];
                double tau = 1 / (sigmas[j] * sigmas[j]);
                h[j] = tau / 2;
                w[j] = Math.log(pis[j]) + 0.5 * Math.log(tau) - 0.5 * Math.log(2 * Math.PI);
            }
            return new Mixture(mu, h, w);
        }
    }

    static float[] weights(Random rnd, int n, Mixture m, double spread) {
        float[] x = new float[n + OFF + 3];
        Arrays.fill(x, Float.NaN); // outside [OFF, OFF + n) must not be read
        for (int i = 0; i < n; i++) {
            int kind = rnd.nextInt(50);
            double v;
            if (kind == 0) v = 0;
            else if (kind == 1) v = (rnd.nextBoolean() ? 1 : -1) * 0.5; // an outlier beyond every component
            else v = m.mu()[rnd.nextInt(m.mu().length)] + spread * rnd.nextGaussian();
            x[OFF + i] = (float) v;
        }
        return x;
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void agreesWithTheDoubleReferenceAtTheStartOfTraining(int n) {
        check(n, Mixture.of(16, 0.3, 0.3 * 2 / 14), 0.05, 1e-4);
    }

    @ParameterizedTest
    @MethodSource("chunkSizes")
    void agreesWithTheDoubleReferenceAcrossChunks(int n) {
        check(n, Mixture.of(16, 0.3, 0.3 * 2 / 14), 0.05, 1e-4);
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void agreesWithTheDoubleReferenceOnANarrowMixture(int n) {
        check(n, Mixture.of(16, 0.2, 0.004), 0.003, 1e-5);
    }

    /** The signature of {@link Kernels#mixturePriorGradient}. */
    interface Call {
        void apply(int n, float[] x, int xOff, float[] g, int gOff, double scale, int k, double[] mu, double[] halfTau,
                   double[] logWeight, double[] sums);
    }

    private static void check(int n, Mixture m, double spread, double scale) {
        Random rnd = new Random(31L * n + m.mu().length);
        check(n, m, weights(rnd, n, m, spread), scale, rnd, KernelsTestSupport.vector(2)::mixturePriorGradient, true);
    }

    /**
     * The call's result on x[OFF, OFF + n) against the double reference; with threads, also that
     * one thread gives the same bits.
     */
    static void check(int n, Mixture m, float[] x, double scale, Random rnd, Call vector, boolean threads) {
        Kernels scalar = new ScalarKernels();
        int k = m.mu().length;
        float[] g0 = new float[n + 2 * OFF];
        for (int i = 0; i < g0.length; i++) g0[i] = (float) (1e-3 * rnd.nextGaussian());
        float[] gs = g0.clone();
        float[] gv = g0.clone();
        double[] ss = new double[3 * k];
        double[] sv = new double[3 * k];
        scalar.mixturePriorGradient(n, x, OFF, gs, OFF + 1, scale, k, m.mu(), m.halfTau(), m.logWeight(), ss);
        vector.apply(n, x, OFF, gv, OFF + 1, scale, k, m.mu(), m.halfTau(), m.logWeight(), sv);
        // the bounds, from the direct evaluation of the formula in double
        double[] absSums = new double[3 * k];
        double[] dropped = new double[3 * k];
        double tauMax = 0;
        for (double h : m.halfTau()) tauMax = Math.max(tauMax, 2 * h);
        for (int i = 0; i < n; i++) {
            double xi = x[OFF + i];
            double[] a = new double[k];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                double d = xi - m.mu()[j];
                a[j] = m.logWeight()[j] - m.halfTau()[j] * d * d;
                max = Math.max(max, a[j]);
            }
            double z = 0;
            for (int j = 0; j < k; j++) z += Math.exp(a[j] - max);
            double bound = 0;
            double droppable = 0;
            for (int j = 0; j < k; j++) {
                double r = Math.exp(a[j] - max) / z;
                double d = Math.abs(xi - m.mu()[j]);
                bound += r * 2 * m.halfTau()[j] * d;
                absSums[j] += r * 2 * m.halfTau()[j] * d;
                absSums[k + j] += r * m.halfTau()[j] * d * d;
                absSums[2 * k + j] += r;
                if (r < DROPPABLE) {
                    droppable += r * 2 * m.halfTau()[j] * d;
                    dropped[j] += r * 2 * m.halfTau()[j] * d;
                    dropped[k + j] += r * m.halfTau()[j] * d * d;
                    dropped[2 * k + j] += r;
                }
            }
            double tol = TOLERANCE * scale * (bound + tauMax * 1e-3) + scale * droppable + Math.ulp(gs[OFF + 1 + i]);
            assertEquals(gs[OFF + 1 + i], gv[OFF + 1 + i], tol, "gradient of value " + i + " = " + xi + " of " + n);
        }
        for (int i = 0; i < OFF + 1; i++) assertEquals(g0[i], gv[i], 0, "outside the range: " + i);
        for (int i = OFF + 1 + n; i < g0.length; i++) assertEquals(g0[i], gv[i], 0, "outside the range: " + i);
        for (int t = 0; t < 3 * k; t++) {
            assertEquals(ss[t], sv[t], TOLERANCE * absSums[t] + dropped[t] + 1e-9 * n, "sum " + t + " of " + n);
        }
        if (!threads) return;
        // the thread count changes nothing
        float[] g1 = g0.clone();
        double[] s1 = new double[3 * k];
        KernelsTestSupport.vector(1).mixturePriorGradient(n, x, OFF, g1, OFF + 1, scale, k, m.mu(), m.halfTau(), m.logWeight(), s1);
        assertArrayEquals(gv, g1);
        assertArrayEquals(sv, s1);
    }

    /** Sizes at which a call plans buckets: the smallest, chunk boundaries ± 1, several chunks. */
    private static final int LEAST_PLANNED = 4 * MixturePriorKernel.CHUNK / MixturePriorKernel.BUCKETS;

    static IntStream bucketSizes() {
        int c = MixturePriorKernel.CHUNK;
        return IntStream.of(LEAST_PLANNED - 1, LEAST_PLANNED, LEAST_PLANNED + 1, c - 1, c, c + 1, 2 * c + 17, 3 * c - 5);
    }

    /**
     * After retraining: components of σ = 0.002 to 0.009, several sharing nearly one mean (as
     * the Gamma hyperprior of {@code regula compress} leaves them), 90 % of the weights at the
     * zero component, a few outliers. Within 2^−40 of the largest term most components are within
     * reach of each weight, and sorting would not pay; within 2^−24 about half of them are, and it
     * does.
     */
    private static Mixture clustered() {
        return clustered(1);
    }

    /** {@link #clustered()} with every σ times sigmaScale. */
    static Mixture clustered(double sigmaScale) {
        double[] means = {0, -0.039, -0.0393, -0.0391, -0.0388, -0.012, 0.0001, 0.04, 0.0375, 0.0379, 0.0371, -0.2, 0.2, 0.1,
            -0.1, 0.3};
        double[] sigmas = {0.0028, 0.007, 0.0071, 0.006, 0.0076, 0.0088, 0.0087, 0.0088, 0.008, 0.0064, 0.0074, 0.002, 0.004,
            0.003, 0.009, 0.005};
        int k = means.length;
        double[] scaled = new double[k];
        double[] pis = new double[k];
        for (int j = 0; j < k; j++) {
            scaled[j] = sigmaScale * sigmas[j];
            pis[j] = j == 0 ? 0.9 : 0.1 / (k - 1);
        }
        return Mixture.of(means, scaled, pis);
    }

    static float[] clusteredWeights(Random rnd, int n, Mixture m) {
        float[] x = new float[n + OFF + 3];
        Arrays.fill(x, Float.NaN);
        for (int i = 0; i < n; i++) {
            int kind = rnd.nextInt(100);
            double v;
            if (kind == 0) v = (rnd.nextBoolean() ? 1 : -1) * 0.5;
            else if (kind < 90) v = 0.003 * rnd.nextGaussian();
            else v = m.mu()[1 + rnd.nextInt(m.mu().length - 1)] + 0.008 * rnd.nextGaussian();
            x[OFF + i] = (float) v;
        }
        return x;
    }

    @ParameterizedTest
    @MethodSource("bucketSizes")
    void valuesSortedByBucketAgreeWithTheDoubleReferenceOnANarrowMixture(int n) {
        Mixture m = Mixture.of(16, 0.2, 0.004);
        Random rnd = new Random(31L * n + 16);
        float[] x = weights(rnd, n, m, 0.003);
        assertEquals(n >= LEAST_PLANNED, planned(n, x, m).count() > 1, "the narrow mixture is planned in buckets from "
                + LEAST_PLANNED + " values");
        check(n, m, x, 1e-5, rnd, KernelsTestSupport.vector(2)::mixturePriorGradient, true);
    }

    @ParameterizedTest
    @MethodSource("bucketSizes")
    void valuesSortedByBucketAgreeWithTheDoubleReferenceOnAClusteredMixture(int n) {
        Mixture m = clustered(0.25);
        Random rnd = new Random(37L * n);
        float[] x = clusteredWeights(rnd, n, m);
        assertEquals(n >= LEAST_PLANNED, planned(n, x, m).count() > 1, "the clustered mixture, σ / 4, is planned in buckets from "
                + LEAST_PLANNED + " values");
        check(n, m, x, 1e-5, rnd, KernelsTestSupport.vector(2)::mixturePriorGradient, true);
    }

    @ParameterizedTest
    @MethodSource("bucketSizes")
    void theClusteredMixtureAtFullWidthAgreesWithTheDoubleReference(int n) {
        Mixture m = clustered();
        Random rnd = new Random(43L * n);
        float[] x = clusteredWeights(rnd, n, m);
        if (n == 3 * MixturePriorKernel.CHUNK - 5) { // (at the others the sample judges it close to even)
            assertTrue(planned(n, x, m).count() > 1, "the clustered mixture at full width is sorted: " + n);
        }
        check(n, m, x, 1e-5, rnd, KernelsTestSupport.vector(2)::mixturePriorGradient, true);
    }

    /**
     * As soft weight sharing sets its mixture up: weights of a fresh layer (Gaussian), the means
     * evenly over ±max |w|, σ = their spacing; nearly every value meets nearly every component,
     * so the values stay in stored order and nothing is sorted.
     */
    @Test
    void theMixtureTrainingStartsFromIsNotSorted() {
        int n = 2 * MixturePriorKernel.CHUNK + 17;
        Random rnd = new Random(5);
        float[] x = new float[n + OFF];
        float r = 0;
        for (int i = 0; i < n; i++) {
            x[OFF + i] = (float) (0.05 * rnd.nextGaussian());
            r = Math.max(r, Math.abs(x[OFF + i]));
        }
        Mixture m = Mixture.of(16, r, 2.0 * r / 14);
        assertEquals(1, planned(n, x, m).count(), "every value meets nearly every component: stored order");
        check(n, m, x, 1e-4, rnd, KernelsTestSupport.vector(2)::mixturePriorGradient, true);
    }

    /**
     * Both ways of a chunk, sorted and in stored order, forced: buckets that leave out nothing
     * (the sort declines every chunk) and the planned ones (it sorts every chunk), these with
     * their shifts and with every bucket's powers of two from each value's largest exponent.
     */
    @ParameterizedTest
    @MethodSource("bucketSizes")
    void aChunkGoesSortedOrInStoredOrderAndBothAgree(int n) {
        Mixture m = Mixture.of(16, 0.2, 0.004);
        Random rnd = new Random(41L * n);
        float[] x = weights(rnd, n, m, 0.003);
        MixturePriorKernel.Buckets planned = planned(n, x, m);
        int k = m.mu().length;
        int[] start = new int[planned.count() + 1];
        int[] every = new int[planned.count() * k];
        for (int b = 0; b < planned.count(); b++) {
            start[b + 1] = (b + 1) * k;
            for (int j = 0; j < k; j++) every[b * k + j] = j;
        }
        float[] noShift = new float[planned.count()];
        Arrays.fill(noShift, Float.NaN);
        var nothingLeftOut = new MixturePriorKernel.Buckets(planned.count(), planned.lo(), planned.perUnit(), start, every,
                noShift);
        // without the runs of MixtureGroups, which would take every inner value of nothingLeftOut as one run
        check(n, m, x, 1e-5, rnd, direct(nothingLeftOut, true, false), false);
        check(n, m, x, 1e-5, rnd, direct(planned, true, false), false);
        if (planned.count() > 1) {
            assertTrue(IntStream.range(0, planned.count()).anyMatch(b -> !Float.isNaN(planned.shift()[b])),
                    "the planned buckets take their powers of two from a shift");
            // the same buckets, each value's powers of two from its own largest exponent
            var perValue = new MixturePriorKernel.Buckets(planned.count(), planned.lo(), planned.perUnit(), planned.start(),
                    planned.components(), noShift);
            check(n, m, x, 1e-5, rnd, direct(perValue, true, false), false);
            // and with the runs: a run of buckets without a shift has none either
            check(n, m, x, 1e-5, rnd, direct(perValue, true, true), false);
            MixturePriorKernel.Constants c = constants(m);
            MixtureGroups runs = MixtureGroups.of(perValue, MixtureInPlace.held(perValue, n, x, OFF), null, c);
            for (int i = 0; runs != null && i < runs.count(); i++) assertTrue(Float.isNaN(runs.shift(i)), "run " + i + " has no shift");
        }
    }

    /**
     * The order is a function of the values alone: a second call on the same values, after
     * calls on other values and mixtures of more and of fewer components (each thread keeps its
     * working arrays between calls), and the same values at another offset give the same bits.
     */
    @Test
    void theResultDependsOnTheValuesAloneNotOnEarlierCallsOrTheirPlace() {
        int n = 3 * MixturePriorKernel.CHUNK + 101;
        Mixture m = clustered(0.25);
        int k = m.mu().length;
        Kernels vector = KernelsTestSupport.vector(2);
        float[] x = clusteredWeights(new Random(7), n, m);
        float[] other = clusteredWeights(new Random(8), n, m);
        float[] g1 = new float[n];
        double[] s1 = new double[3 * k];
        vector.mixturePriorGradient(n, x, OFF, g1, 0, 1e-5, k, m.mu(), m.halfTau(), m.logWeight(), s1);
        vector.mixturePriorGradient(n, other, OFF, new float[n], 0, 1e-5, k, m.mu(), m.halfTau(), m.logWeight(),
                new double[3 * k]);
        for (Mixture o : new Mixture[] {Mixture.of(24, 0.2, 0.004), Mixture.of(3, 0.1, 0.05)}) { // the kept working arrays grow, then serve fewer components
            int ko = o.mu().length;
            vector.mixturePriorGradient(n, other, OFF, new float[n], 0, 1e-5, ko, o.mu(), o.halfTau(), o.logWeight(), new double[3 * ko]);
        }
        float[] g2 = new float[n];
        double[] s2 = new double[3 * k];
        vector.mixturePriorGradient(n, x, OFF, g2, 0, 1e-5, k, m.mu(), m.halfTau(), m.logWeight(), s2);
        assertArrayEquals(g1, g2);
        assertArrayEquals(s1, s2);
        float[] shifted = new float[n + 40];
        System.arraycopy(x, OFF, shifted, 37, n);
        float[] g3 = new float[n + 3];
        double[] s3 = new double[3 * k];
        vector.mixturePriorGradient(n, shifted, 37, g3, 3, 1e-5, k, m.mu(), m.halfTau(), m.logWeight(), s3);
        assertArrayEquals(g1, Arrays.copyOfRange(g3, 3, n + 3));
        assertArrayEquals(s1, s3);
    }

    /**
     * The state {@code regula compress} retrains into: component 0 at 0 with π 0.93, the other 15
     * at ±0.07·⌈j/2⌉, every σ 0.002 (far apart for their width).
     */
    static Mixture late() {
        return late(false);
    }

    /** {@link #late}, with a wide component at 0.002 (σ 0.01, the π of the others) if wideAtZero. */
    private static Mixture late(boolean wideAtZero) {
        int k = wideAtZero ? 17 : 16;
        double[] means = new double[k];
        double[] sigmas = new double[k];
        double[] pis = new double[k];
        for (int j = 0; j < k; j++) {
            means[j] = j == 0 ? 0 : (j % 2 == 0 ? -1 : 1) * 0.07 * ((j + 1) / 2);
            sigmas[j] = 0.002;
            pis[j] = j == 0 ? 0.93 : 0.07 / 15;
        }
        if (wideAtZero) {
            means[16] = 0.002;
            sigmas[16] = 0.01;
        }
        return Mixture.of(means, sigmas, pis);
    }

    /**
     * Weights of {@link #late}: 90 % at 0 and 6 % at the other means (σ 0.001), and, for the sorted
     * path, 3 % anywhere between the outer means (many between two components) and 1 % a little
     * beyond them (as the outer components of {@code regula compress} sit at the weights' extremes;
     * the plan's buckets span the values' range, and far outliers would widen them past σ).
     */
    static float[] lateWeights(Random rnd, int n, Mixture m) {
        float[] x = new float[n + OFF + 3];
        Arrays.fill(x, Float.NaN);
        for (int i = 0; i < n; i++) {
            int kind = rnd.nextInt(100);
            double v;
            if (kind == 0) v = (rnd.nextBoolean() ? 1 : -1) * (0.57 + 0.05 * rnd.nextDouble());
            else if (kind < 4) v = -0.56 + 1.12 * rnd.nextDouble();
            else if (kind < 10) v = m.mu()[1 + rnd.nextInt(m.mu().length - 1)] + 0.001 * rnd.nextGaussian();
            else v = 0.001 * rnd.nextGaussian();
            x[OFF + i] = (float) v;
        }
        return x;
    }

    /**
     * On {@link #late} the buckets around 0 list the zero component alone and hold nine values in
     * ten: those are computed in place (responsibility 1, no exponential) and only the others
     * sorted. Both ways, and the sorted path for every value, agree with the double reference; one
     * and two threads give the same bits.
     */
    @ParameterizedTest
    @MethodSource("bucketSizes")
    void theMainComponentsValuesAreComputedInPlaceAndAgreeWithTheDoubleReference(int n) {
        Mixture m = late();
        Random rnd = new Random(47L * n);
        float[] x = lateWeights(rnd, n, m);
        MixturePriorKernel.Buckets planned = planned(n, x, m);
        if (n >= LEAST_PLANNED) {
            MixturePriorKernel.Constants c = constants(m);
            MixtureSolo solo = MixtureSolo.of(planned, n, x, OFF, c.mu(), c.tau());
            assertTrue(solo != null, "the late mixture's values are mostly in the zero component's buckets: " + n);
            assertEquals(0, solo.component(), "the zero component's values are computed in place");
            assertTrue(!solo.covers(0) && !solo.covers(planned.count() - 1), "the open buckets list every component");
            int inPlace = 0;
            for (int b = 0; b < planned.count(); b++) {
                if (!solo.covers(b)) continue;
                inPlace++;
                assertEquals(1, planned.reach(b), "bucket " + b + " in place lists one component");
                assertEquals(0, planned.components()[planned.start()[b]], "bucket " + b + " in place lists the zero component");
            }
            assertTrue(inPlace >= 1, "at least the bucket at 0 is in place");
            assertTrue(IntStream.range(0, n).filter(i -> !solo.covers(planned.bucketOf(x[OFF + i]))).count() > n / 20,
                    "the other values, more than one in twenty, go the sorted way");
        }
        check(n, m, x, 1e-5, rnd, KernelsTestSupport.vector(2)::mixturePriorGradient, true);
        check(n, m, x, 1e-5, rnd, direct(planned, true), false);
        check(n, m, x, 1e-5, rnd, direct(planned, false), false);
    }

    static IntStream lateMixtures() {
        return IntStream.of(0, 1);
    }

    /** {@link #late} (0) or {@link #lateWithAWideComponentAtZero} (1). */
    private static Mixture lateMixture(int which) {
        return which == 0 ? late() : lateWithAWideComponentAtZero();
    }

    /**
     * The public call takes the in-place pass where the direct kernel takes the call: on
     * {@link #late} and with a wide component at zero (the table declines both) one thread gives
     * the bits of the direct kernel with the pass, not those of the sorted path alone.
     */
    @ParameterizedTest
    @MethodSource("lateMixtures")
    void theKernelsUseThePassOnTheLateMixtures(int which) {
        int n = 3 * MixturePriorKernel.CHUNK - 5;
        Mixture m = lateMixture(which);
        float[] x = lateWeights(new Random(59), n, m);
        MixturePriorKernel.Buckets planned = planned(n, x, m);
        float[] viaKernels = gradient(KernelsTestSupport.vector(1)::mixturePriorGradient, n, x, m);
        assertArrayEquals(gradient(direct(planned, true), n, x, m), viaKernels, "the direct kernel with the pass");
        assertTrue(!Arrays.equals(gradient(direct(planned, false), n, x, m), viaKernels), "not the sorted path alone");
        assertTrue(!Arrays.equals(gradient(direct(planned, false, true), n, x, m), viaKernels), "not the runs without the pass");
    }

    /**
     * A state the bench's training at λ = 1e-5 reaches in its ninth epoch (rounded): the zero
     * component (π 0.99, σ 0.0007), two narrow clusters near ±0.045, and wide components of small
     * weight around them (σ up to 0.009), which reach over the values between the clusters.
     */
    static Mixture between() {
        double[] means = {-0.0708, -0.0596, -0.0482, -0.0481, -0.0481, -0.0415, -0.039, -0.0351, 0, 0.0276, 0.0277, 0.0382,
                0.0411, 0.0412, 0.0494, 0.0617};
        double[] sigmas = {0.00172, 0.00266, 0.00162, 0.0016, 0.00036, 0.00241, 0.00515, 0.00366, 0.00068, 0.00232, 0.00218,
                0.00233, 0.00037, 0.00146, 0.00156, 0.00885};
        double[] pis = {1e-4, 1e-4, 1e-4, 1e-4, 4.6e-3, 1e-5, 1e-4, 1e-5, 0.9904, 1e-4, 1e-4, 1e-5, 4.1e-3, 1e-4, 1e-4, 2e-4};
        return Mixture.of(means, sigmas, pis);
    }

    /** Weights of {@link #between}: 70 % at 0, 4 % at each cluster, 22 % anywhere in [−0.07, 0.065]. */
    static float[] betweenWeights(Random rnd, int n) {
        float[] x = new float[n + OFF + 3];
        Arrays.fill(x, Float.NaN);
        for (int i = 0; i < n; i++) {
            int kind = rnd.nextInt(100);
            double v;
            if (kind < 22) v = -0.07 + 0.135 * rnd.nextDouble();
            else if (kind < 26) v = -0.0481 + 0.0004 * rnd.nextGaussian();
            else if (kind < 30) v = 0.0411 + 0.0004 * rnd.nextGaussian();
            else v = 0.0006 * rnd.nextGaussian();
            x[OFF + i] = (float) v;
        }
        return x;
    }

    /**
     * On {@link #between} the values the in-place pass leaves lie mostly in runs of buckets that
     * list the same several components: those are listed run by run ({@link MixtureGroups}) and
     * computed as one bucket each. With and without the in-place pass before, the result agrees
     * with the double reference, differs from the sorted path's bits (so the runs are used), and
     * the public call gives the same bits on one and two threads.
     */
    @ParameterizedTest
    @MethodSource("bucketSizes")
    void theRunsLeftAreListedByRunAndAgreeWithTheDoubleReference(int n) {
        Random rnd = new Random(67);
        Mixture m = between();
        float[] x = betweenWeights(rnd, n);
        MixturePriorKernel.Buckets planned = planned(n, x, m);
        MixturePriorKernel.Constants c = constants(m);
        if (n >= LEAST_PLANNED) {
            int[] held = MixtureInPlace.held(planned, n, x, OFF);
            MixtureInPlace pass = MixtureInPlace.of(planned, held, c);
            MixtureGroups runs = MixtureGroups.of(planned, held, pass, c);
            assertTrue(pass != null && runs != null && runs.count() >= 2, "the main run in place, then runs of several components: " + n);
            boolean shifted = false;
            for (int i = 0; i < runs.count(); i++) {
                assertTrue(runs.reach(i) >= 2, "runs of several components");
                int run = i;
                assertTrue(IntStream.range(0, n).anyMatch(t -> {
                    int b = planned.bucketOf(x[OFF + t]);
                    return b >= runs.first(run) && b <= runs.last(run);
                }), "run " + i + " holds values");
                shifted |= !Float.isNaN(runs.shift(i));
            }
            assertTrue(shifted, "a run takes its powers of two from one shift");
            assertTrue(MixtureGroups.of(planned, held, null, c) != null, "runs without the in-place pass too");
        }
        check(n, m, x, 1e-5, rnd, direct(planned, true, true), false);
        check(n, m, x, 1e-5, rnd, direct(planned, false, true), false);
        check(n, m, x, 1e-5, rnd, KernelsTestSupport.vector(2)::mixturePriorGradient, true);
        float[] withRuns = gradient(direct(planned, true, true), n, x, m);
        if (n >= LEAST_PLANNED) assertFalse(Arrays.equals(withRuns, gradient(direct(planned, true, false), n, x, m)), "the runs take values");
        assertArrayEquals(withRuns, gradient(KernelsTestSupport.vector(1)::mixturePriorGradient, n, x, m), "the kernels take the runs");
    }

    /**
     * NaN, infinities, the largest floats, −0 and the smallest denormal among the late mixtures'
     * values, away from the plan's sample (so the plan still has its buckets and the pass runs): the
     * non-finite and the largest go the sorted way and get exactly the sorted path's results; every
     * other value, −0 and the denormal included, agrees with the sorted path within the tolerance.
     */
    @ParameterizedTest
    @MethodSource("lateMixtures")
    void specialValuesGoTheSortedWayWhileThePassRuns(int which) {
        int n = 3 * MixturePriorKernel.CHUNK - 5;
        Mixture m = lateMixture(which);
        float[] x = lateWeights(new Random(61), n, m);
        int stride = Math.max(1, n / MixturePriorKernel.SAMPLE);
        float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE, -Float.MAX_VALUE,
            -0f, Float.MIN_VALUE};
        int[] at = new int[special.length];
        for (int s = 0; s < special.length; s++) {
            at[s] = (1 + s * (n / stride / special.length)) * stride + 1 + s % (stride - 1); // never a multiple of the stride
            x[OFF + at[s]] = special[s];
        }
        MixturePriorKernel.Buckets planned = planned(n, x, m);
        MixturePriorKernel.Constants c = constants(m);
        assertTrue(MixtureInPlace.of(planned, n, x, OFF, c) != null, "the pass runs");
        float[] withPass = gradient(direct(planned, true), n, x, m);
        float[] sorted = gradient(direct(planned, false), n, x, m);
        for (int s = 0; s < special.length; s++) {
            if (Float.isFinite(special[s]) && Math.abs(special[s]) < 1) continue; // −0 and the denormal are values near 0
            assertEquals(sorted[OFF + 1 + at[s]], withPass[OFF + 1 + at[s]], 0, "the value " + special[s] + " goes the sorted way");
        }
        for (int i = 0; i < n; i++) {
            float a = sorted[OFF + 1 + i];
            float b = withPass[OFF + 1 + i];
            assertEquals(Float.isNaN(a), Float.isNaN(b), "NaN where the sorted path has it: " + i);
            if (!Float.isNaN(a)) assertEquals(a, b, 1e-5 * Math.abs(a) + 1e-9, "value " + i + " = " + x[OFF + i]);
        }
    }

    /** g after one call on x[OFF, OFF + n), from g = 0, at gOff = OFF + 1. */
    private static float[] gradient(Call call, int n, float[] x, Mixture m) {
        float[] g = new float[n + 2 * OFF];
        call.apply(n, x, OFF, g, OFF + 1, 1e-5, m.mu().length, m.mu(), m.halfTau(), m.logWeight(), new double[3 * m.mu().length]);
        return g;
    }

    /**
     * {@link #late} with a wide component (σ 0.01) on the zero component's mean, as in the middle of
     * {@code regula compress}'s retraining: the buckets around 0 list both, so no run of one
     * component holds the values, and they take the two-component pass.
     */
    static Mixture lateWithAWideComponentAtZero() {
        return late(true);
    }

    @ParameterizedTest
    @MethodSource("bucketSizes")
    void valuesOfARunOfTwoComponentsAreComputedInPlaceAndAgreeWithTheDoubleReference(int n) {
        Mixture m = lateWithAWideComponentAtZero();
        Random rnd = new Random(53L * n);
        float[] x = lateWeights(rnd, n, m);
        MixturePriorKernel.Buckets planned = planned(n, x, m);
        if (n >= LEAST_PLANNED) {
            MixturePriorKernel.Constants c = constants(m);
            assertEquals(null, MixtureSolo.of(planned, n, x, OFF, c.mu(), c.tau()), "the values around 0 meet two components: " + n);
            MixturePair pair = MixturePair.of(planned, MixtureInPlace.held(planned, n, x, OFF), c);
            assertTrue(pair != null, "they lie in buckets of the same two components: " + n);
            assertArrayEquals(new int[] {0, 16}, pair.components(), "the zero component and the wide one on its mean");
            assertTrue(MixtureInPlace.of(planned, n, x, OFF, c) instanceof MixturePair, "the call takes the pair's pass");
        }
        check(n, m, x, 1e-5, rnd, KernelsTestSupport.vector(2)::mixturePriorGradient, true);
        check(n, m, x, 1e-5, rnd, direct(planned, true), false);
        check(n, m, x, 1e-5, rnd, direct(planned, false), false);
    }

    /** Where most values meet several components (the narrow mixture) the pass is not used. */
    @Test
    void valuesMeetingSeveralComponentsAreNotComputedInPlace() {
        assumeVectorModule();
        int n = 3 * MixturePriorKernel.CHUNK;
        Mixture m = Mixture.of(16, 0.2, 0.004);
        float[] x = weights(new Random(3), n, m, 0.003);
        MixturePriorKernel.Buckets planned = planned(n, x, m);
        assertTrue(planned.count() > 1, "the narrow mixture is sorted");
        MixturePriorKernel.Constants c = constants(m);
        assertEquals(null, MixtureSolo.of(planned, n, x, OFF, c.mu(), c.tau()), "most of its values meet two or three components");
        assertEquals(null, MixtureSolo.of(MixturePriorKernel.Buckets.all(16), n, x, OFF, c.mu(), c.tau()),
                "one bucket: nothing in place");
    }

    /**
     * A bucket lists every component within reach of any of its values: for each value, every
     * component whose exponent is within {@link MixturePriorKernel#NEGLIGIBLE} binary orders of the
     * largest (in double) is in the
     * value's bucket.
     */
    @Test
    void aBucketListsEveryComponentWithinReachOfItsValues() {
        int n = 6_000;
        Mixture narrow = Mixture.of(16, 0.2, 0.004);
        Mixture clustered = clustered(0.25);
        Mixture wideRange = Mixture.of(16, 1, 0.01);
        float[][] values = {weights(new Random(1), n, narrow, 0.003), clusteredWeights(new Random(2), n, clustered),
            weights(new Random(3), n, wideRange, 0.02)};
        Mixture[] mixtures = {narrow, clustered, wideRange};
        for (int t = 0; t < mixtures.length; t++) {
            Mixture m = mixtures[t];
            float[] x = values[t];
            MixturePriorKernel.Buckets buckets = planned(n, x, m);
            assertTrue(buckets.count() > 1, "mixture " + t + " is planned in buckets");
            int k = m.mu().length;
            for (int i = 0; i < n; i++) {
                double xi = x[OFF + i];
                double[] b = new double[k];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < k; j++) {
                    double d = xi - m.mu()[j];
                    b[j] = MixturePriorKernel.LOG2_E * (m.logWeight()[j] - m.halfTau()[j] * d * d);
                    max = Math.max(max, b[j]);
                }
                int bucket = buckets.bucketOf(x[OFF + i]);
                int[] listed = Arrays.copyOfRange(buckets.components(), buckets.start()[bucket], buckets.start()[bucket + 1]);
                for (int j = 0; j < k; j++) {
                    if (b[j] > max - MixturePriorKernel.NEGLIGIBLE) {
                        int jj = j;
                        assertTrue(Arrays.stream(listed).anyMatch(l -> l == jj),
                                "component " + j + " is within reach of " + xi + " but not listed in bucket " + bucket);
                    }
                }
            }
        }
    }

    /** Skips the test where the incubator module is absent (the run without it), as the kernels' tests do. */
    static void assumeVectorModule() {
        VectorKernelsProvider provider = new VectorKernelsProvider();
        assumeTrue(provider.isSupported(), "jdk.incubator.vector not resolved: " + provider.unsupportedReason());
    }

    private static MixturePriorKernel.Buckets planned(int n, float[] x, Mixture m) {
        MixturePriorKernel.Constants c = constants(m);
        return MixturePriorKernel.plan(n, x, OFF, m.mu().length, c.mu(), c.c2(), c.v2());
    }

    private static MixturePriorKernel.Constants constants(Mixture m) {
        assumeVectorModule();
        return MixturePriorKernel.Constants.of(m.mu().length, m.mu(), m.halfTau(), m.logWeight());
    }

    /** The kernel run directly on one thread with the given buckets, their main run's values in place where it would. */
    private static Call direct(MixturePriorKernel.Buckets buckets) {
        return direct(buckets, true);
    }

    /**
     * The kernel run directly on one thread with the given buckets; with passes, as the kernels run
     * it (the main run in place, then the runs of {@link MixtureGroups}), without, every value by
     * the sorted path.
     */
    private static Call direct(MixturePriorKernel.Buckets buckets, boolean passes) {
        return direct(buckets, passes, passes);
    }

    /** The kernel run directly on one thread with the given buckets, with or without each pass. */
    private static Call direct(MixturePriorKernel.Buckets buckets, boolean inPlace, boolean groups) {
        assumeVectorModule();
        return (n, x, xOff, g, gOff, scale, k, mu, halfTau, logWeight, sums) -> {
            MixturePriorKernel.Constants c = MixturePriorKernel.Constants.of(k, mu, halfTau, logWeight);
            int chunks = MixturePriorKernel.chunks(n);
            double[] partial = new double[3 * k * chunks];
            MixtureInPlace pass = inPlace ? MixtureInPlace.of(buckets, n, x, xOff, c) : null;
            MixtureGroups runs = groups && buckets.count() > 2
                    ? MixtureGroups.of(buckets, MixtureInPlace.held(buckets, n, x, xOff), pass, c) : null;
            MixturePriorKernel.run(0, chunks, n, x, xOff, g, gOff, (float) scale, k, c.mu(), c.c2(), c.v2(), c.tau(),
                    buckets, pass, runs, partial);
            MixturePriorKernel.addPartials(partial, chunks, k, sums);
        };
    }

    @Test
    void badArgumentsAreRefusedWithTheirNames() {
        Kernels vector = KernelsTestSupport.vector(1);
        double[] three = new double[3];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> vector.mixturePriorGradient(4, new float[4], 0, new float[4], 0, 1, 0, three, three, three, new double[9]));
        assertTrue(e.getMessage().contains("k (components) must be >= 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> vector.mixturePriorGradient(4, new float[4], 0, new float[4], 0, 1, 3, three, three, three, new double[8]));
        assertTrue(e.getMessage().contains("sums must hold 3k = 9"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class,
                () -> vector.mixturePriorGradient(5, new float[4], 0, new float[8], 0, 1, 3, three, three, three, new double[9]));
        // the reference too, and neither writes anything before it throws (g long enough, x short)
        double[] h = {50, 50, 50};
        for (Kernels k : java.util.List.of(vector, new ScalarKernels())) {
            float[] g = new float[300];
            double[] sums = new double[9];
            assertThrows(IndexOutOfBoundsException.class,
                    () -> k.mixturePriorGradient(300, new float[290], 0, g, 0, 1, 3, three, h, three, sums), k.name());
            assertArrayEquals(new float[300], g, k.name());
            assertArrayEquals(new double[9], sums, k.name());
        }
    }

    /**
     * Constants outside float's reach (h_j of 2^110, whose τ_j overflows a float; λ of 2^110) are
     * computed as the double reference computes them, to the bit, not as NaN.
     */
    @Test
    void constantsBeyondFloatAreComputedAsTheReferenceDoes() {
        Kernels vector = KernelsTestSupport.vector(2);
        Kernels reference = new ScalarKernels();
        float[] x = {0f, 0.1f, -0.1f, 1e-20f, 0.3f};
        for (double[] c : new double[][] {{0x1p110, 1e-5}, {50, 0x1p110}, {0x1p-110, 1e-5}}) {
            double[] mu = {0, 0.1, -0.1};
            double[] h = {c[0], 50, 50};
            double[] w = {-0.5, -1, -1};
            float[] gv = new float[5], gr = new float[5];
            double[] sv = new double[9], sr = new double[9];
            vector.mixturePriorGradient(5, x, 0, gv, 0, c[1], 3, mu, h, w, sv);
            reference.mixturePriorGradient(5, x, 0, gr, 0, c[1], 3, mu, h, w, sr);
            assertArrayEquals(gr, gv, 0f, java.util.Arrays.toString(c));
            assertArrayEquals(sr, sv, 0, java.util.Arrays.toString(c));
        }
    }

    /**
     * Values ten thousands of σ from every component: their exponents are near −1e9, where
     * max − 24 rounds to max in float; the largest component must still count (it gave 0/0).
     */
    @Test
    void valuesFarBeyondEveryComponentKeepTheirLargestTerm() {
        Mixture m = Mixture.of(3, 0.5, 2.0);
        float[] x = new float[40 + OFF];
        for (int i = 0; i < 40; i++) x[OFF + i] = (i % 2 == 0 ? 1 : -1) * (130_000f + i);
        check(40, m, x, 1e-5, new Random(3), KernelsTestSupport.vector(2)::mixturePriorGradient, true);
    }
}
