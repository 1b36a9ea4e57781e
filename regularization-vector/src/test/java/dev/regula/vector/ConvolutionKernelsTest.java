package dev.regula.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.regula.api.kernels.ConvGeometry;
import dev.regula.api.kernels.Kernels;
import dev.regula.core.kernels.ScalarKernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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
        matchesTheDefinition(d);
    }

    /**
     * Every path of {@link Convolution} on shapes that select it, the selection asserted at 8 and
     * 16 lanes (the two test executions on an AVX-512 machine), then each kernel checked against the
     * definition as above. Paths, forward/input/weight: {@code patch} ({@link PatchPanels}; for the
     * input gradient its masked col2im, taken at a stride above 1 only), {@code padded}
     * ({@link PaddedPanels}), {@code im2col} and {@code col2im} (the stored patch matrix,
     * {@link Patches}). Shapes: the {@code cnn} model's second stage (32 to 64 channels of 14×14
     * after pooling, 3×3 "same": no panels at either width, 196 not being a multiple of 8) with one
     * image, several chunks and two weight-gradient groups; its first stage (28×28); "same"
     * convolutions with widths 13, 15, 17, 31, 33 (and heights) around the vector widths, on planes
     * that are whole vectors (16 rows: the panels, a vector spanning several output rows) and on ones
     * that are not; 1-value-wide and 1-value-high planes under a 5×5 kernel; a plane of whole 8-lane
     * but not 16-lane vectors; more than {@link Gemm#KC} patch rows (a second inner block of
     * panels) and positions (a cut last block of the transposed padded panels); 1×1 kernels, where
     * the forward and weight gradient take the panels and the input gradient the padded layout;
     * the GAN generator's 2×2 padding 1 and "full" paddings; strides 2 and 3 with odd phase-plane
     * widths; "valid" convolutions whose weight gradient is unfolded in pieces of 8 and 32 images
     * ({@link Convolution#pieceImages}); 1, 3, 5 and 17 channels; single images whose products are
     * split over the threads, batches whose chunks are shared by the threads and whose weight
     * gradient is summed in several groups (im2col, patch and padded).
     */
    @ParameterizedTest(name = "{index}: [{0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}] {8} / {9}")
    @CsvSource(textBlock = """
            # batch, in, H, W, out, k, s, p, paths at 8 lanes,    paths at 16 lanes
            1,  32, 14, 14, 64, 3, 1, 1, im2col col2im im2col , im2col col2im im2col
            20, 32, 14, 14, 64, 3, 1, 1, im2col col2im im2col , im2col col2im im2col
            3,  1,  28, 28, 32, 3, 1, 1, patch col2im patch   , patch col2im patch
            3,  3,  16, 13, 5,  3, 1, 1, patch col2im patch   , patch col2im patch
            2,  1,  16, 15, 3,  3, 1, 1, patch col2im patch   , patch col2im patch
            2,  5,  16, 17, 4,  3, 1, 1, patch col2im patch   , patch col2im patch
            2,  17, 16, 31, 6,  3, 1, 1, patch col2im patch   , patch col2im patch
            2,  3,  16, 33, 17, 3, 1, 1, patch col2im patch   , patch col2im patch
            2,  3,  31, 16, 5,  3, 1, 1, patch col2im patch   , patch col2im patch
            2,  3,  16, 1,  2,  5, 1, 2, patch col2im patch   , patch col2im patch
            2,  3,  1,  16, 2,  5, 1, 2, patch col2im patch   , patch col2im patch
            2,  60, 8,  16, 8,  3, 1, 1, patch col2im patch   , patch col2im patch
            1,  32, 16, 16, 64, 3, 1, 1, patch col2im patch   , patch col2im patch
            40, 32, 16, 16, 8,  3, 1, 1, patch col2im patch   , patch col2im patch
            3,  5,  13, 13, 3,  3, 1, 1, im2col col2im im2col , im2col col2im im2col
            2,  3,  15, 15, 5,  3, 1, 1, im2col col2im im2col , im2col col2im im2col
            2,  1,  17, 17, 3,  3, 1, 1, im2col col2im im2col , im2col col2im im2col
            2,  17, 9,  31, 3,  3, 1, 1, im2col col2im im2col , im2col col2im im2col
            2,  3,  7,  33, 5,  3, 1, 1, im2col col2im im2col , im2col col2im im2col
            3,  3,  12, 14, 4,  3, 1, 1, patch col2im patch   , im2col col2im im2col
            2,  5,  8,  9,  3,  5, 1, 2, patch col2im patch   , im2col col2im im2col
            2,  3,  16, 16, 5,  1, 1, 0, patch padded patch   , patch padded patch
            2,  17, 5,  5,  3,  1, 1, 0, padded padded padded , padded padded padded
            3,  8,  14, 14, 4,  2, 1, 1, padded padded padded , padded padded padded
            40, 48, 14, 14, 8,  2, 1, 1, padded padded padded , padded padded padded
            2,  3,  13, 15, 5,  3, 1, 2, padded padded padded , padded padded padded
            1,  5,  7,  17, 3,  2, 1, 1, padded padded padded , padded padded padded
            4,  1,  3,  3,  2,  3, 1, 4, padded padded padded , padded padded padded
            2,  3,  32, 26, 5,  4, 2, 1, patch patch patch    , patch patch patch
            2,  2,  24, 30, 3,  3, 3, 1, patch patch patch    , patch patch patch
            2,  1,  16, 16, 3,  1, 2, 0, patch patch patch    , patch patch patch
            2,  3,  14, 14, 4,  4, 2, 1, im2col col2im im2col , im2col col2im im2col
            2,  5,  17, 17, 3,  4, 2, 1, im2col col2im im2col , im2col col2im im2col
            21, 5,  10, 10, 7,  3, 1, 0, im2col col2im im2col , im2col col2im im2col
            70, 6,  6,  6,  9,  3, 1, 0, im2col col2im im2col , im2col col2im im2col
            """)
    void everyPathIsSelectedWhereExpectedAndMatchesTheDefinition(int batch, int in, int h, int w, int out, int k, int s,
                                                                  int p, String at8, String at16) {
        assumeTrue(new VectorKernelsProvider().isSupported(), "jdk.incubator.vector not resolved");
        ConvGeometry g = new ConvGeometry(batch, in, h, w, out, k, s, p);
        int lanes = Gemm.NR / 2;
        String expected = lanes == 8 ? at8 : lanes == 16 ? at16 : null;
        if (expected != null) assertEquals(expected, paths(g), "paths at " + lanes + " lanes");
        matchesTheDefinition(new int[] {batch, in, h, w, out, k, s, p});
    }

    /**
     * Seeded random geometries ({@link #sweep}): "same" convolutions at strides 1 to 3 (half of
     * them on planes of whole vectors), stride-1 ones padded by at least the kernel side less one,
     * and any others; output sides up to 34 (or 16 rows), 1, 3, 5 or 17 channels in and out.
     */
    @ParameterizedTest
    @MethodSource("sweep")
    void randomGeometriesMatchTheDefinition(int[] d) {
        matchesTheDefinition(d);
    }

    /** The sweep selects every path of every kernel at this vector width. */
    @Test
    void theSweepSelectsEveryPath() {
        assumeTrue(new VectorKernelsProvider().isSupported(), "jdk.incubator.vector not resolved");
        assumeTrue(BlockTranspose.supported(), "the weight gradient's panels need in-register transposes");
        Set<String> seen = new TreeSet<>();
        sweep().forEach(d -> {
            String[] kernels = paths(new ConvGeometry(d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7])).split(" ");
            for (int i = 0; i < kernels.length; i++) seen.add(i + ":" + kernels[i]);
        });
        assertEquals(Set.of("0:patch", "0:padded", "0:im2col", "1:patch", "1:padded", "1:col2im", "2:patch", "2:padded",
                "2:im2col"), seen);
    }

    /** @return the paths {@link Convolution} takes for g, forward, input gradient, weight gradient (its selection, restated) */
    private static String paths(ConvGeometry g) {
        String forward = PatchPanels.applies(g) ? "patch" : PaddedPanels.applies(g) ? "padded" : "im2col";
        String input = g.stride() > 1 && PatchPanels.applies(g) ? "patch" : PaddedPanels.applies(g) ? "padded" : "col2im";
        String weight = PatchPanels.transposes(g) ? "patch"
                : PaddedPanels.applies(g) && BlockTranspose.supported() ? "padded" : "im2col";
        return forward + " " + input + " " + weight;
    }

    /** batch, in, H, W, out, kernel, stride, padding: 60 geometries from a fixed seed, each at most about 2M terms. */
    static Stream<int[]> sweep() {
        Random rnd = new Random(20260);
        int[] channels = {1, 3, 5, 17};
        List<int[]> all = new ArrayList<>();
        while (all.size() < 60) {
            int batch = 1 + rnd.nextInt(4);
            int in = channels[rnd.nextInt(channels.length)];
            int out = channels[rnd.nextInt(channels.length)];
            int[] d = switch (rnd.nextInt(4)) {
                case 0, 1 -> { // "same": out = in / s
                    int s = 1 + rnd.nextInt(3);
                    int[][] kp = s == 1 ? new int[][] {{1, 0}, {3, 1}, {5, 2}}
                            : s == 2 ? new int[][] {{2, 0}, {3, 1}, {4, 1}, {1, 0}} : new int[][] {{3, 0}, {3, 1}, {4, 1}};
                    int[] c = kp[rnd.nextInt(kp.length)];
                    int outW = 1 + rnd.nextInt(34 / s);
                    int outH = rnd.nextBoolean() ? 16 : 1 + rnd.nextInt(34 / s); // 16 rows: whole vectors
                    yield new int[] {batch, in, outH * s, outW * s, out, c[0], s, c[1]};
                }
                case 2 -> { // stride 1 padded by at least k − 1
                    int k = 1 + rnd.nextInt(4);
                    yield new int[] {batch, in, 1 + rnd.nextInt(34), 1 + rnd.nextInt(34), out, k, 1, k - 1 + rnd.nextInt(2)};
                }
                default -> {
                    int k = 1 + rnd.nextInt(5);
                    int s = 1 + rnd.nextInt(3);
                    int p = rnd.nextInt(k);
                    yield new int[] {batch, in, k + rnd.nextInt(34), k + rnd.nextInt(34), out, k, s, p};
                }
            };
            ConvGeometry g = new ConvGeometry(d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]);
            if ((long) g.outputSize() * g.patch() <= 2_000_000) all.add(d);
        }
        return all.stream();
    }

    private static void matchesTheDefinition(int[] d) {
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
