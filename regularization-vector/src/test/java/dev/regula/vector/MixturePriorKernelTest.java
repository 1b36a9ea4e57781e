package dev.regula.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * about zero; per component sum, |Δ| ≤ 1e-5 of the sum of the absolute terms, plus 1e-9·n. The
 * means are floats, as soft weight sharing keeps them (a mean rounded to float moves every
 * d_ij = x_i − μ_j by its rounding error, which for τ = 6e4 shifts a sum by 1e-4 relative). On
 * awkward sizes: empty, one value, species lengths ± 1, block and chunk boundaries ± 1, with
 * offsets; independent of the thread count bit for bit.
 */
class MixturePriorKernelTest {
    private static final double TOLERANCE = 1e-5;
    private static final int OFF = 5;

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
    private record Mixture(double[] mu, double[] halfTau, double[] logWeight) {
        static Mixture of(int k, double range, double sigma) {
            double[] mu = new double[k];
            double[] h = new double[k];
            double[] w = new double[k];
            for (int j = 0; j < k; j++) {
                mu[j] = (float) (j == 0 ? 0 : -range + 2 * range * (j - 1) / (k - 2)); // float, as the means tensor holds them
                double tau = 1 / (sigma * sigma);
                h[j] = tau / 2;
                double pi = j == 0 ? 0.99 : 0.01 / (k - 1);
                w[j] = Math.log(pi) + 0.5 * Math.log(tau) - 0.5 * Math.log(2 * Math.PI);
            }
            return new Mixture(mu, h, w);
        }
    }

    private static float[] weights(Random rnd, int n, Mixture m, double spread) {
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

    private static void check(int n, Mixture m, double spread, double scale) {
        Kernels vector = KernelsTestSupport.vector(2);
        Kernels scalar = new ScalarKernels();
        int k = m.mu().length;
        Random rnd = new Random(31L * n + k);
        float[] x = weights(rnd, n, m, spread);
        float[] g0 = new float[n + 2 * OFF];
        for (int i = 0; i < g0.length; i++) g0[i] = (float) (1e-3 * rnd.nextGaussian());
        float[] gs = g0.clone();
        float[] gv = g0.clone();
        double[] ss = new double[3 * k];
        double[] sv = new double[3 * k];
        scalar.mixturePriorGradient(n, x, OFF, gs, OFF + 1, scale, k, m.mu(), m.halfTau(), m.logWeight(), ss);
        vector.mixturePriorGradient(n, x, OFF, gv, OFF + 1, scale, k, m.mu(), m.halfTau(), m.logWeight(), sv);
        // the bounds, from the direct evaluation of the formula in double
        double[] absSums = new double[3 * k];
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
            for (int j = 0; j < k; j++) {
                double r = Math.exp(a[j] - max) / z;
                double d = Math.abs(xi - m.mu()[j]);
                bound += r * 2 * m.halfTau()[j] * d;
                absSums[j] += r * 2 * m.halfTau()[j] * d;
                absSums[k + j] += r * m.halfTau()[j] * d * d;
                absSums[2 * k + j] += r;
            }
            double tol = TOLERANCE * scale * (bound + tauMax * 1e-3) + Math.ulp(gs[OFF + 1 + i]);
            assertEquals(gs[OFF + 1 + i], gv[OFF + 1 + i], tol, "gradient of value " + i + " = " + xi + " of " + n);
        }
        for (int i = 0; i < OFF + 1; i++) assertEquals(g0[i], gv[i], 0, "outside the range: " + i);
        for (int i = OFF + 1 + n; i < g0.length; i++) assertEquals(g0[i], gv[i], 0, "outside the range: " + i);
        for (int t = 0; t < 3 * k; t++) {
            assertEquals(ss[t], sv[t], TOLERANCE * absSums[t] + 1e-9 * n, "sum " + t + " of " + n);
        }
        // the thread count changes nothing
        float[] g1 = g0.clone();
        double[] s1 = new double[3 * k];
        KernelsTestSupport.vector(1).mixturePriorGradient(n, x, OFF, g1, OFF + 1, scale, k, m.mu(), m.halfTau(), m.logWeight(), s1);
        assertArrayEquals(gv, g1);
        assertArrayEquals(sv, s1);
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
    }
}
