package dev.regula.core.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.regula.api.kernels.KernelsSelection;
import dev.regula.core.testing.GradientCheck;
import org.junit.jupiter.api.Test;

class ScalarKernelsTest {
    private final ScalarKernels k = new ScalarKernels();

    @Test
    void gemmAllTransposeVariantsMatchNaiveProduct() {
        int m = 5, n = 7, kk = 3;
        float[] a = GradientCheck.random(1, 1f, m, kk).data();
        float[] b = GradientCheck.random(2, 1f, kk, n).data();
        float[] expected = new float[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                float s = 0;
                for (int p = 0; p < kk; p++) s += a[i * kk + p] * b[p * n + j];
                expected[i * n + j] = s;
            }
        float[] at = transpose(a, m, kk);
        float[] bt = transpose(b, kk, n);
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                float[] c = new float[m * n];
                java.util.Arrays.fill(c, Float.NaN); // beta = 0 must overwrite, not propagate NaN
                k.gemm(ta, tb, m, n, kk, 1f, ta ? at : a, 0, ta ? m : kk, tb ? bt : b, 0, tb ? kk : n, 0f, c, 0, n);
                assertArrayEquals(expected, c, 1e-5f, "transA=" + ta + " transB=" + tb);
            }
        }
    }

    @Test
    void softThresholdGivesExactZerosInsideTheBand() {
        float[] x = {-0.3f, -0.05f, 0f, 0.05f, 0.3f};
        k.softThreshold(x.length, 0.1f, x, 0);
        assertArrayEquals(new float[] {-0.2f, 0f, 0f, 0f, 0.2f}, x, 1e-7f);
        assertEquals(0, Float.floatToIntBits(x[1]) & 0x7fffffff);
    }

    @Test
    void scalarProviderIsFoundThroughServiceLoader() {
        assertEquals("scalar", KernelsSelection.select().name());
    }

    private static float[] transpose(float[] x, int rows, int cols) {
        float[] t = new float[x.length];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) t[c * rows + r] = x[r * cols + c];
        return t;
    }
}
