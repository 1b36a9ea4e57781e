package dev.regula.gan.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DistancesTest {
    /** Correlated Gaussian samples: x = L·z + mean with a fixed random L. */
    private static float[][] gaussian(long seed, int n, int d, double shift) {
        SplittableRandom mix = new SplittableRandom(99);
        double[][] l = new double[d][d];
        for (double[] row : l) for (int j = 0; j < d; j++) row[j] = mix.nextDouble(-1, 1);
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = new float[n][d];
        double[] z = new double[d];
        for (float[] row : x) {
            for (int j = 0; j < d; j++) z[j] = r.nextGaussian();
            for (int i = 0; i < d; i++) {
                double s = shift;
                for (int j = 0; j < d; j++) s += l[i][j] * z[j];
                row[i] = (float) s;
            }
        }
        return x;
    }

    @Test
    void frechetOfIdenticalSetsIsZero() {
        float[][] a = gaussian(1, 300, 6, 0);
        assertEquals(0, FrechetDistance.between(a, a.clone()), 1e-6);
    }

    @Test
    void frechetOfAShiftedSetIsTheSquaredShift() {
        float[][] a = gaussian(2, 200, 5, 0);
        float[] v = {0.5f, -1f, 2f, 0f, 0.25f};
        float[][] b = new float[a.length][5];
        for (int i = 0; i < a.length; i++) for (int j = 0; j < 5; j++) b[i][j] = a[i][j] + v[j];
        double expected = 0.25 + 1 + 4 + 0 + 0.0625;
        assertEquals(expected, FrechetDistance.between(a, b), 1e-4);
        assertEquals(expected, FrechetDistance.between(b, a), 1e-4);
    }

    @Test
    void frechetOfDiagonalGaussiansHasItsClosedForm() {
        // Columns of a Hadamard matrix of order 8 (without the constant one) have mean 0, and are
        // orthogonal: sample covariance = diag(s²·8/7) exactly, means = the offsets.
        int[][] h = hadamard8();
        double[] sa = {1, 2, 0.5};
        double[] sb = {3, 0.5, 0.5};
        double[] ma = {0, 1, -1};
        double[] mb = {2, 1, 0};
        float[][] a = new float[8][3];
        float[][] b = new float[8][3];
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 3; j++) {
                a[i][j] = (float) (ma[j] + sa[j] * h[i][j + 1]);
                b[i][j] = (float) (mb[j] + sb[j] * h[i][j + 4]);
            }
        }
        double expected = 0;
        for (int j = 0; j < 3; j++) {
            double va = sa[j] * sa[j] * 8 / 7;
            double vb = sb[j] * sb[j] * 8 / 7;
            expected += Math.pow(Math.sqrt(va) - Math.sqrt(vb), 2) + Math.pow(ma[j] - mb[j], 2);
        }
        assertEquals(expected, FrechetDistance.between(a, b), 1e-9);
    }

    @Test
    void frechetIsSymmetricForNonCommutingCovariances() {
        float[][] a = gaussian(3, 150, 4, 0);
        float[][] b = new float[150][4];
        SplittableRandom r = new SplittableRandom(4);
        for (float[] row : b) for (int j = 0; j < 4; j++) row[j] = (float) (r.nextGaussian() * (j + 1) * 0.5);
        double ab = FrechetDistance.between(a, b);
        double ba = FrechetDistance.between(b, a);
        assertTrue(ab > 0.5, "different covariances: " + ab);
        assertEquals(ab, ba, 1e-9 * Math.max(1, ab));
    }

    @Test
    void kernelDistanceMatchesAHandComputedCase() {
        // d = 1, k(x, y) = (xy + 1)³; a = {0, 1}, b = {0, 2}:
        // aa = k(0,1) = 1, bb = k(0,2) = 1, ab = k(0,0)+k(0,2)+k(1,0)+k(1,2) = 1+1+1+27 = 30.
        double kid = KernelDistance.between(new float[][] {{0}, {1}}, new float[][] {{0}, {2}});
        assertEquals(1 + 1 - 2 * 30 / 4.0, kid, 1e-12);
    }

    @Test
    void kernelDistanceSeesDifferentDistributionsOnly() {
        float[][] a = gaussian(5, 200, 8, 0);
        float[][] same = gaussian(6, 200, 8, 0);
        float[][] shifted = gaussian(7, 200, 8, 1);
        double s = KernelDistance.between(a, same);
        double d = KernelDistance.between(a, shifted);
        assertTrue(Math.abs(s) < 0.05, "same distribution: " + s);
        assertTrue(d > 0.5 && d > 20 * Math.abs(s), "shifted: " + d + " vs same " + s);
        assertTrue(FrechetDistance.between(a, shifted) > 5 * FrechetDistance.between(a, same));
    }

    @Test
    void badInputsAreRefused() {
        float[][] one = {{1, 2}};
        float[][] two = {{1, 2}, {3, 4}};
        float[][] wide = {{1, 2, 3}, {3, 4, 5}};
        assertThrows(IllegalArgumentException.class, () -> FrechetDistance.between(one, two));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelDistance.between(two, wide));
        assertTrue(e.getMessage().contains("widths"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FrechetDistance.between(two, new float[][] {{1, 2}, {3}}));
    }

    @Test
    void standardizerDropsConstantDimensionsAndUsesRealStatistics() {
        float[][] real = {{1, 5, 0}, {3, 5, 10}, {5, 5, 20}};
        FeatureStandardizer s = FeatureStandardizer.fit(real);
        assertEquals(3, s.inputDimension());
        assertEquals(2, s.keptDimension());
        assertEquals(0, s.keptIndices()[0]);
        assertEquals(2, s.keptIndices()[1]);
        float[][] z = s.apply(real);
        // column 0: mean 3, std 2; column 2: mean 10, std 10.
        assertEquals(-1, z[0][0], 1e-6);
        assertEquals(1, z[2][0], 1e-6);
        assertEquals(-1, z[0][1], 1e-6);
        float[][] other = s.apply(new float[][] {{7, 123, 30}});
        assertEquals(2, other[0][0], 1e-6);
        assertEquals(2, other[0][1], 1e-6);
        assertThrows(IllegalArgumentException.class, () -> s.apply(new float[][] {{1, 2}}));
    }

    private static int[][] hadamard8() {
        int[][] h = {{1}};
        for (int n = 1; n < 8; n *= 2) {
            int[][] next = new int[2 * n][2 * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    next[i][j] = h[i][j];
                    next[i][j + n] = h[i][j];
                    next[i + n][j] = h[i][j];
                    next[i + n][j + n] = -h[i][j];
                }
            }
            h = next;
        }
        return h;
    }
}
