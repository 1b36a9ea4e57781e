package dev.regula.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.kernels.Kernels;
import dev.regula.core.kernels.ScalarKernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * GEMM of the SIMD kernels against core's {@link ScalarKernels}, for every transpose combination,
 * awkward shapes (tails in m, n and k; m crossing the MC block, k the KC block, n the NC block), offsets
 * and leading dimensions larger than the width, alpha/beta other than 1/0. Tolerance: every element
 * within 1e-5 of its scale |alpha|·Σ_p|a·b| + |beta·c| (both sides reassociate differently).
 */
class VectorGemmTest {
    private static final double TOLERANCE = 1e-5;
    private final Kernels scalar = new ScalarKernels();

    static Stream<Arguments> cases() {
        int[][] shapes = {{1, 1, 1}, {3, 5, 7}, {17, 33, 65}, {130, 67, 129}, {6, 32, 512}, {7, 33, 513},
            {9, 20, 1100}, {150, 40, 300}, {2, 4100, 3}, {300, 64, 120}, {256, 256, 256}, {128, 10, 256}, {10, 256, 128}};
        List<Arguments> all = new ArrayList<>();
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                all.add(Arguments.of(s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0));
            }
        }
        return all.stream();
    }

    /** A stored matrix with offset and padded leading dimension; padding is NaN so stray reads show. */
    private record Stored(float[] data, int off, int ld) {
        static Stored random(Random rnd, int rows, int cols) {
            int off = 5;
            int ld = cols + 3;
            float[] d = new float[off + rows * ld + 2];
            Arrays.fill(d, Float.NaN);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) d[off + r * ld + c] = (float) rnd.nextGaussian();
            }
            return new Stored(d, off, ld);
        }

        float at(int r, int c) {
            return data[off + r * ld + c];
        }
    }

    @ParameterizedTest(name = "{0}x{1}x{2} transA={3} transB={4}")
    @MethodSource("cases")
    void agreesWithScalarForEveryTransposeAndScaling(int m, int n, int k, boolean transA, boolean transB) {
        Kernels v = KernelsTestSupport.vector(2);
        Random rnd = new Random(m * 31L + n * 7L + k + (transA ? 1000 : 0) + (transB ? 2000 : 0));
        Stored a = transA ? Stored.random(rnd, k, m) : Stored.random(rnd, m, k);
        Stored b = transB ? Stored.random(rnd, n, k) : Stored.random(rnd, k, n);
        float[][] alphaBeta = {{1.5f, 0.5f}, {-0.75f, 0f}, {1f, 1f}, {0f, 2f}};
        for (float[] ab : alphaBeta) {
            float alpha = ab[0];
            float beta = ab[1];
            Stored c = Stored.random(rnd, m, n);
            if (beta == 0f) {
                for (int i = 0; i < m; i++) c.data[c.off + i * c.ld] = Float.NaN; // must be overwritten
            }
            float[] cv = c.data.clone();
            float[] cs = c.data.clone();
            v.gemm(transA, transB, m, n, k, alpha, a.data, a.off, a.ld, b.data, b.off, b.ld, beta, cv, c.off, c.ld);
            scalar.gemm(transA, transB, m, n, k, alpha, a.data, a.off, a.ld, b.data, b.off, b.ld, beta, cs, c.off, c.ld);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double scale = 0;
                    for (int p = 0; p < k; p++) {
                        float aip = transA ? a.at(p, i) : a.at(i, p);
                        float bpj = transB ? b.at(j, p) : b.at(p, j);
                        scale += Math.abs((double) aip * bpj);
                    }
                    scale = Math.abs(alpha) * scale + (beta == 0f ? 0 : Math.abs(beta * c.at(i, j)));
                    int idx = c.off + i * c.ld + j;
                    assertTrue(Float.isFinite(cv[idx]), "finite at " + i + "," + j);
                    assertEquals(cs[idx], cv[idx], TOLERANCE * scale + 1e-30,
                            "C[" + i + "," + j + "] alpha=" + alpha + " beta=" + beta);
                }
            }
            // padding outside the m×n window is untouched (NaN stays NaN, bit for bit)
            for (int i = 0; i < cv.length; i++) {
                boolean inside = i >= c.off && (i - c.off) / c.ld < m && (i - c.off) % c.ld < n;
                if (!inside) assertEquals(Float.floatToRawIntBits(c.data[i]), Float.floatToRawIntBits(cv[i]), "padding at " + i);
            }
        }
    }

    @Test
    void threadCountDoesNotChangeTheResult() {
        Random rnd = new Random(3);
        for (int[] s : new int[][] {{256, 256, 256}, {400, 70, 90}}) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            float[] a = new float[m * k];
            float[] b = new float[k * n];
            for (int i = 0; i < a.length; i++) a[i] = (float) rnd.nextGaussian();
            for (int i = 0; i < b.length; i++) b[i] = (float) rnd.nextGaussian();
            float[] c1 = new float[m * n];
            float[] c2 = new float[m * n];
            KernelsTestSupport.vector(1).gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c1, 0, n);
            KernelsTestSupport.vector(2).gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c2, 0, n);
            assertArrayEquals(c1, c2, "blocking is the same per element whatever the split");
        }
    }

    @Test
    void concurrentCallersGetTheSameResultsAsSequentialOnes() throws Exception {
        Kernels v = KernelsTestSupport.vector(2);
        int m = 200;
        int n = 150;
        int k = 170;
        int callers = 4;
        float[][] as = new float[callers][];
        float[][] bs = new float[callers][];
        float[][] expected = new float[callers][];
        Random rnd = new Random(9);
        for (int t = 0; t < callers; t++) {
            as[t] = new float[m * k];
            bs[t] = new float[k * n];
            for (int i = 0; i < as[t].length; i++) as[t][i] = (float) rnd.nextGaussian();
            for (int i = 0; i < bs[t].length; i++) bs[t][i] = (float) rnd.nextGaussian();
            expected[t] = new float[m * n];
            v.gemm(false, t % 2 == 1, m, n, k, 1f, as[t], 0, k, bs[t], 0, t % 2 == 1 ? k : n, 0f, expected[t], 0, n);
        }
        ExecutorService exec = Executors.newFixedThreadPool(callers);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int t = 0; t < callers; t++) {
                int id = t;
                results.add(exec.submit(() -> {
                    float[] c = new float[m * n];
                    for (int rep = 0; rep < 5; rep++) {
                        v.gemm(false, id % 2 == 1, m, n, k, 1f, as[id], 0, k, bs[id], 0, id % 2 == 1 ? k : n, 0f, c, 0, n);
                    }
                    return c;
                }));
            }
            for (int t = 0; t < callers; t++) assertArrayEquals(expected[t], results.get(t).get(), "caller " + t);
        } finally {
            exec.shutdownNow();
        }
    }

    @Test
    void emptyProductsOnlyScaleC() {
        Kernels v = KernelsTestSupport.vector(2);
        float[] c = {1f, Float.NaN, 3f, 4f};
        v.gemm(false, false, 2, 2, 0, 1f, new float[0], 0, 0, new float[0], 0, 2, 0f, c, 0, 2);
        assertArrayEquals(new float[4], c);
        float[] d = {1f, 2f};
        v.gemm(false, false, 1, 2, 3, 0f, new float[3], 0, 3, new float[6], 0, 2, 2f, d, 0, 2);
        assertArrayEquals(new float[] {2f, 4f}, d);
        v.gemm(true, true, 0, 0, 5, 1f, new float[0], 0, 0, new float[0], 0, 0, 1f, new float[0], 0, 0);
    }

    @Test
    void rejectsNegativeDimensions() {
        Kernels v = KernelsTestSupport.vector(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> v.gemm(false, false, -1, 1, 1, 1f, new float[1], 0, 1, new float[1], 0, 1, 0f, new float[1], 0, 1));
        assertTrue(e.getMessage().contains("m=-1"), e.getMessage());
    }
}
