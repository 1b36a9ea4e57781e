package dev.regula.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.kernels.ConvGeometry;
import dev.regula.api.kernels.Kernels;
import dev.regula.core.kernels.ScalarKernels;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The three convolution kernels, SIMD (one and two threads) and scalar, against a direct
 * definition computed in double on awkward geometries (odd sizes, stride 2 and 3, padding, one
 * channel, batch 1, 1×1 images, kernels wider than the image with padding, batches cut into many
 * chunks and weight-gradient groups). Tolerance: each value within 1e-5 of the sum of the
 * absolute values of its terms (the SPI's documented GEMM tolerance). The SIMD results must be
 * bit-identical on one and two threads.
 */
class ConvolutionKernelsTest {
    private static final double TOLERANCE = 1e-5;

    /** batch, in, H, W, out, kernel, stride, padding. */
    static Stream<int[]> geometries() {
        return Stream.of(
                new int[] {1, 1, 5, 7, 1, 3, 1, 1},
                new int[] {3, 2, 7, 5, 3, 3, 2, 1},
                new int[] {2, 3, 8, 8, 4, 4, 2, 1},
                new int[] {1, 4, 1, 1, 2, 1, 1, 0},
                new int[] {1, 2, 2, 3, 3, 5, 1, 2},
                new int[] {4, 3, 6, 9, 5, 2, 3, 0},
                new int[] {7, 2, 9, 9, 3, 5, 2, 2},
                new int[] {33, 3, 4, 4, 5, 4, 2, 1},
                new int[] {40, 3, 12, 12, 4, 3, 1, 1},
                new int[] {24, 8, 16, 16, 16, 4, 2, 1},
                new int[] {9, 1, 28, 28, 8, 3, 1, 1},
                new int[] {2, 2, 11, 10, 3, 4, 3, 1});
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void everyKernelMatchesTheDefinitionAndIsTheSameOnOneAndTwoThreads(int[] d) {
        ConvGeometry g = new ConvGeometry(d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]);
        Random rnd = new Random(Arrays.hashCode(d));
        float[] x = random(rnd, g.inputSize());
        float[] w = random(rnd, g.weightSize());
        float[] gy = random(rnd, g.outputSize());
        float[] bias = random(rnd, g.outChannels());
        float[] inBias = random(rnd, g.inChannels());
        float[] gw0 = random(rnd, g.weightSize());
        Reference ref = new Reference(g, x, w, bias, gy, inBias, gw0, 0.5f);

        float[][] simd = new float[2][];
        for (Kernels k : new Kernels[] {KernelsTestSupport.vector(1), KernelsTestSupport.vector(2), new ScalarKernels()}) {
            float[] all = run(k, g, x, w, bias, gy, inBias, gw0);
            String who = k.name() + " " + Arrays.toString(d);
            int off = 0;
            off = check(who + " conv2d", all, off, ref.y, ref.yAbs);
            off = check(who + " conv2dBackwardInput", all, off, ref.gx, ref.gxAbs);
            off = check(who + " conv2dBackwardWeight beta 0.5", all, off, ref.gw, ref.gwAbs);
            check(who + " conv2dBackwardWeight beta 0", all, off, ref.gwFresh, ref.gwAbs);
            if (k instanceof VectorKernels) simd[simd[0] == null ? 0 : 1] = all;
        }
        if (simd[1] != null) assertArrayEquals(simd[0], simd[1], "one and two threads give the same bits");
    }

    /** Runs the three kernels (weight gradient with beta 0.5 and with beta 0 over NaN) and concatenates the results. */
    private static float[] run(Kernels k, ConvGeometry g, float[] x, float[] w, float[] bias, float[] gy,
                               float[] inBias, float[] gw0) {
        float[] y = new float[g.outputSize()];
        Arrays.fill(y, Float.NaN);
        k.conv2d(g, x, w, bias, y);
        float[] gx = new float[g.inputSize()];
        Arrays.fill(gx, Float.NaN);
        k.conv2dBackwardInput(g, gy, w, inBias, gx);
        float[] gw = gw0.clone();
        k.conv2dBackwardWeight(g, x, gy, 0.5f, gw);
        float[] fresh = new float[g.weightSize()];
        Arrays.fill(fresh, Float.NaN);
        k.conv2dBackwardWeight(g, x, gy, 0f, fresh);
        float[] all = new float[y.length + gx.length + 2 * gw.length];
        System.arraycopy(y, 0, all, 0, y.length);
        System.arraycopy(gx, 0, all, y.length, gx.length);
        System.arraycopy(gw, 0, all, y.length + gx.length, gw.length);
        System.arraycopy(fresh, 0, all, y.length + gx.length + gw.length, fresh.length);
        return all;
    }

    private static int check(String what, float[] all, int off, double[] expected, double[] abs) {
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(all[off + i] - expected[i]);
            if (!(err <= TOLERANCE * abs[i] + 1e-30)) {
                throw new AssertionError(what + ": element " + i + " is " + all[off + i] + ", expected " + expected[i]
                        + " (Σ|terms| " + abs[i] + ")");
            }
        }
        assertTrue(expected.length > 0);
        return off + expected.length;
    }

    private static float[] random(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rnd.nextGaussian();
        return a;
    }

    /** The definition, term by term, in double, with the sum of the absolute values of each value's terms. */
    private static final class Reference {
        final double[] y;
        final double[] yAbs;
        final double[] gx;
        final double[] gxAbs;
        final double[] gw;
        final double[] gwFresh;
        final double[] gwAbs;

        Reference(ConvGeometry g, float[] x, float[] w, float[] bias, float[] gy, float[] inBias, float[] gw0, float beta) {
            int oh = g.outHeight();
            int ow = g.outWidth();
            int k = g.kernel();
            y = new double[g.outputSize()];
            yAbs = new double[y.length];
            gx = new double[g.inputSize()];
            gxAbs = new double[gx.length];
            gwFresh = new double[g.weightSize()];
            gwAbs = new double[gwFresh.length];
            for (int n = 0; n < g.batch(); n++) {
                for (int o = 0; o < g.outChannels(); o++) {
                    for (int oy = 0; oy < oh; oy++) {
                        for (int ox = 0; ox < ow; ox++) {
                            int yi = ((n * g.outChannels() + o) * oh + oy) * ow + ox;
                            y[yi] += bias[o];
                            yAbs[yi] += Math.abs(bias[o]);
                            for (int c = 0; c < g.inChannels(); c++) {
                                for (int ki = 0; ki < k; ki++) {
                                    for (int kj = 0; kj < k; kj++) {
                                        int iy = oy * g.stride() - g.padding() + ki;
                                        int ix = ox * g.stride() - g.padding() + kj;
                                        if (iy < 0 || iy >= g.height() || ix < 0 || ix >= g.width()) continue;
                                        int xi = ((n * g.inChannels() + c) * g.height() + iy) * g.width() + ix;
                                        int wi = ((o * g.inChannels() + c) * k + ki) * k + kj;
                                        y[yi] += (double) w[wi] * x[xi];
                                        yAbs[yi] += Math.abs((double) w[wi] * x[xi]);
                                        gx[xi] += (double) w[wi] * gy[yi];
                                        gxAbs[xi] += Math.abs((double) w[wi] * gy[yi]);
                                        gwFresh[wi] += (double) gy[yi] * x[xi];
                                        gwAbs[wi] += Math.abs((double) gy[yi] * x[xi]);
                                    }
                                }
                            }
                        }
                    }
                }
            }
            int plane = g.height() * g.width();
            for (int i = 0; i < gx.length; i++) {
                double b = inBias[(i / plane) % g.inChannels()];
                gx[i] += b;
                gxAbs[i] += Math.abs(b);
            }
            gw = new double[gwFresh.length];
            for (int i = 0; i < gw.length; i++) {
                gw[i] = beta * (double) gw0[i] + gwFresh[i];
                gwAbs[i] += Math.abs(beta * (double) gw0[i]);
            }
        }
    }
}
