package dev.regula.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.regula.api.kernels.Kernels;
import dev.regula.api.kernels.PoolGeometry;
import dev.regula.core.kernels.ScalarKernels;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The four pooling kernels, SIMD (one and two threads) and scalar, against a direct definition
 * on awkward geometries (odd sides, stride below, equal to and above the kernel, 1×1 windows,
 * windows as large as the image, planes of exactly one vector of outputs and one more, rows narrower than a vector, batches split over the
 * threads), with ties (values on a coarse grid), ±0 and NaN in the input. Max pooling's values,
 * indices and gradient and average pooling's values must equal the definition's bits (the SPI
 * fixes their order of operations); the average pooling gradient, a sum of several terms where
 * windows overlap, must be within 1e-6 of the definition computed in double, and every SIMD result
 * bit-identical to the scalar reference's on one and on two threads.
 */
class PoolingKernelsTest {
    /** batch, channels, H, W, kernel, stride. */
    static Stream<int[]> geometries() {
        return Stream.of(
                new int[] {1, 1, 1, 1, 1, 1},
                new int[] {2, 3, 5, 7, 2, 2},
                new int[] {1, 2, 7, 5, 3, 2},
                new int[] {3, 1, 5, 8, 2, 3},
                new int[] {2, 2, 9, 9, 9, 1},
                new int[] {1, 1, 6, 40, 1, 1},
                new int[] {3, 2, 8, 8, 2, 2},
                new int[] {2, 3, 9, 10, 2, 2},
                new int[] {2, 1, 4, 33, 2, 1},
                new int[] {1, 3, 34, 34, 2, 2},
                new int[] {1, 1, 70, 69, 3, 3},
                new int[] {5, 7, 17, 35, 3, 2},
                new int[] {16, 32, 28, 28, 2, 2},
                new int[] {3, 5, 33, 65, 4, 1});
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void everyKernelMatchesTheDefinitionOnEveryThreadCount(int[] d) {
        PoolGeometry g = new PoolGeometry(d[0], d[1], d[2], d[3], d[4], d[5]);
        Random rnd = new Random(Arrays.hashCode(d));
        float[] x = new float[g.inputSize()];
        for (int i = 0; i < x.length; i++) {
            int kind = rnd.nextInt(50);
            x[i] = kind == 0 ? Float.NaN : kind == 1 ? -0f : kind == 2 ? 0f : rnd.nextInt(9) * 0.25f - 1f;
        }
        float[] gy = new float[g.outputSize()];
        for (int i = 0; i < gy.length; i++) gy[i] = (float) rnd.nextGaussian();
        Definition def = new Definition(g, x, gy);

        Kernels scalar = new ScalarKernels();
        Result reference = run(scalar, g, x, gy);
        String where = Arrays.toString(d);
        assertArrayEquals(def.max, reference.max, "max values " + where);
        assertArrayEquals(def.argmax, reference.argmax, "max indices " + where);
        assertArrayEquals(def.maxGrad, reference.maxGrad, "max gradient " + where);
        assertArrayEquals(def.avg, reference.avg, "avg values " + where);
        for (int i = 0; i < def.avgGrad.length; i++) {
            assertEquals(def.avgGrad[i], reference.avgGrad[i], 1e-6 * Math.max(1, Math.abs(def.avgGrad[i])), "avg gradient " + where + " at " + i);
        }
        for (int threads = 1; threads <= 2; threads++) {
            Result simd = run(KernelsTestSupport.vector(threads), g, x, gy);
            String who = threads + " thread(s) " + where;
            assertArrayEquals(reference.max, simd.max, "max values " + who);
            assertArrayEquals(reference.argmax, simd.argmax, "max indices " + who);
            assertArrayEquals(reference.maxGrad, simd.maxGrad, "max gradient " + who);
            assertArrayEquals(reference.avg, simd.avg, "avg values " + who);
            assertArrayEquals(reference.avgGrad, simd.avgGrad, "avg gradient " + who);
        }
    }

    private record Result(float[] max, int[] argmax, float[] maxGrad, float[] avg, float[] avgGrad) {
    }

    /** Runs the four kernels over outputs prefilled with garbage (they must overwrite it), and max pooling once without indices. */
    private static Result run(Kernels k, PoolGeometry g, float[] x, float[] gy) {
        float[] max = new float[g.outputSize()];
        Arrays.fill(max, 7f);
        k.maxPool2d(g, x, max, null);
        float[] max2 = new float[g.outputSize()];
        int[] argmax = new int[g.outputSize()];
        Arrays.fill(argmax, -1);
        k.maxPool2d(g, x, max2, argmax);
        assertArrayEquals(max, max2, k.name() + ": max pooling with and without indices");
        float[] maxGrad = new float[g.inputSize()];
        Arrays.fill(maxGrad, Float.NaN);
        k.maxPool2dBackward(g, gy, argmax, maxGrad);
        float[] avg = new float[g.outputSize()];
        Arrays.fill(avg, Float.NaN);
        k.avgPool2d(g, x, avg);
        float[] avgGrad = new float[g.inputSize()];
        Arrays.fill(avgGrad, Float.NaN);
        k.avgPool2dBackward(g, gy, avgGrad);
        return new Result(max, argmax, maxGrad, avg, avgGrad);
    }

    /** The kernels' definitions, written independently of either implementation. */
    private static final class Definition {
        final float[] max;
        final int[] argmax;
        final float[] maxGrad;
        final float[] avg;
        final float[] avgGrad;

        Definition(PoolGeometry g, float[] x, float[] gy) {
            int oh = g.outHeight();
            int ow = g.outWidth();
            int k = g.kernel();
            max = new float[g.outputSize()];
            argmax = new int[g.outputSize()];
            maxGrad = new float[g.inputSize()];
            avg = new float[g.outputSize()];
            double[] avgGradSum = new double[g.inputSize()];
            float scale = 1f / (k * k);
            for (int p = 0; p < g.planes(); p++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        int o = (p * oh + oy) * ow + ox;
                        int bestAt = -1;
                        float sum = 0f;
                        for (int ki = 0; ki < k; ki++) {
                            for (int kj = 0; kj < k; kj++) {
                                int i = (p * g.height() + oy * g.stride() + ki) * g.width() + ox * g.stride() + kj;
                                sum += x[i];
                                avgGradSum[i] += (double) gy[o] * scale;
                                if (bestAt < 0) {
                                    bestAt = i;
                                } else if (!Float.isNaN(x[bestAt]) && (Float.isNaN(x[i]) || x[i] > x[bestAt])) {
                                    bestAt = i;
                                }
                            }
                        }
                        max[o] = x[bestAt];
                        argmax[o] = bestAt;
                        maxGrad[bestAt] += gy[o];
                        avg[o] = sum * scale;
                    }
                }
            }
            avgGrad = new float[g.inputSize()];
            for (int i = 0; i < avgGrad.length; i++) avgGrad[i] = (float) avgGradSum[i];
        }
    }
}
