package dev.regula.vector;

import static dev.regula.vector.KernelsTestSupport.data;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.kernels.CounterRng;
import dev.regula.api.kernels.Kernels;
import dev.regula.core.kernels.ScalarKernels;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SIMD kernels agree with core's {@link ScalarKernels}. Tolerances: element-wise kernels are
 * bit-identical (same float operations in the same order, no fused multiply-add); reductions
 * within 1e-5 relative to Σ|terms| (they reassociate); softmax (scalar exponentials, so that it
 * does not depend on the JIT), dropout masks and outputs bit-identical.
 */
class VectorKernelsEquivalenceTest {
    private static final double REDUCTION_TOLERANCE = 1e-5;
    private static final int OFF = 3;

    private final Kernels scalar = new ScalarKernels();

    static IntStream sizes() {
        return KernelsTestSupport.sizes();
    }

    private static float[] padded(float[] x, int off) {
        float[] p = new float[x.length + off + 2];
        Arrays.fill(p, Float.NaN); // anything outside [off, off + n) must stay untouched
        System.arraycopy(x, 0, p, off, x.length);
        return p;
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void axpyAndScaleAreBitIdenticalWithOffsets(int n) {
        Kernels v = KernelsTestSupport.vector(2);
        Random rnd = new Random(n);
        float[] x = padded(data(rnd, n), OFF);
        float[] y = padded(data(rnd, n), OFF + 2);
        float[] ys = y.clone();
        v.axpy(n, -0.37f, x, OFF, y, OFF + 2);
        scalar.axpy(n, -0.37f, x, OFF, ys, OFF + 2);
        assertArrayEquals(ys, y);
        v.scale(n, 1.7f, y, OFF + 2);
        scalar.scale(n, 1.7f, ys, OFF + 2);
        assertArrayEquals(ys, y);
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void reductionsAgreeWithinRelativeTolerance(int n) {
        Kernels v = KernelsTestSupport.vector(2);
        Random rnd = new Random(31L * n);
        float[] x = padded(data(rnd, n), OFF);
        float[] y = padded(data(rnd, n), 1);
        double scaleDot = 0;
        double scaleAbs = 0;
        for (int i = 0; i < n; i++) {
            scaleDot += Math.abs((double) x[OFF + i] * y[1 + i]);
            scaleAbs += Math.abs(x[OFF + i]);
        }
        double tolDot = REDUCTION_TOLERANCE * scaleDot + 1e-30;
        assertEquals(scalar.dot(n, x, OFF, y, 1), v.dot(n, x, OFF, y, 1), tolDot, "dot n=" + n);
        double ss = scalar.sumSquares(n, x, OFF);
        assertEquals(ss, v.sumSquares(n, x, OFF), REDUCTION_TOLERANCE * ss + 1e-30, "sumSquares n=" + n);
        assertEquals(scalar.sumAbs(n, x, OFF), v.sumAbs(n, x, OFF), REDUCTION_TOLERANCE * scaleAbs + 1e-30, "sumAbs n=" + n);
        assertEquals(scalar.maxAbs(n, x, OFF), v.maxAbs(n, x, OFF), 0f, "maxAbs n=" + n);
    }

    @Test
    void sumSquaresIsNotFiniteWhenAnyValueIsNaNOrInfiniteWhereverItStands() {
        // the training pipeline's finite check after backward rides on this (Kernels.sumSquares):
        // positions in the first block's vector body and tail, and in a later block's body and tail
        Kernels v = KernelsTestSupport.vector(2);
        int n = VectorKernels.BLOCK + 37;
        for (int at : new int[] {0, 5, 33, VectorKernels.BLOCK - 1, VectorKernels.BLOCK, VectorKernels.BLOCK + 17, n - 1}) {
            for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                float[] x = new float[n];
                java.util.Arrays.fill(x, 0.5f);
                x[at] = bad;
                double expected = Float.isNaN(bad) ? Double.NaN : Double.POSITIVE_INFINITY;
                assertEquals(expected, v.sumSquares(n, x, 0), "vector, " + bad + " at " + at);
                assertEquals(expected, scalar.sumSquares(n, x, 0), "scalar, " + bad + " at " + at);
            }
        }
    }

    @Test
    void reductionsOfHugeFiniteValuesStayFiniteAndAgreeWithScalar() {
        // squares beyond Float.MAX_VALUE (|x| > 1.8e19), lane sums beyond it (|x| near it), and
        // products of opposite signs whose float sum would be +Inf + -Inf = NaN: a gradient of such
        // values is finite, and its norm must not read as a NaN or Inf one
        Kernels v = KernelsTestSupport.vector(2);
        int n = 2 * VectorKernels.BLOCK + 37;
        for (float big : new float[] {2e19f, 1e30f, Float.MAX_VALUE}) {
            float[] x = new float[n];
            float[] y = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = (i % 3 == 0 ? -big : big) / 7f * (1 + i % 7);
                y[i] = i % 2 == 0 ? big : -big;
            }
            double squares = v.sumSquares(n, x, 0);
            assertTrue(Double.isFinite(squares), "sumSquares of values up to " + big + ": " + squares);
            assertEquals(scalar.sumSquares(n, x, 0), squares, REDUCTION_TOLERANCE * squares, "sumSquares, " + big);
            double dot = v.dot(n, x, 0, y, 0);
            double scaleDot = scalar.dot(n, x, 0, x, 0) + scalar.dot(n, y, 0, y, 0);
            assertTrue(Double.isFinite(dot), "dot of values up to " + big + ": " + dot);
            assertEquals(scalar.dot(n, x, 0, y, 0), dot, REDUCTION_TOLERANCE * scaleDot, "dot, " + big);
            double abs = v.sumAbs(n, x, 0);
            assertTrue(Double.isFinite(abs), "sumAbs of values up to " + big + ": " + abs);
            assertEquals(scalar.sumAbs(n, x, 0), abs, REDUCTION_TOLERANCE * abs, "sumAbs, " + big);
        }
        // an ordinary block next to an overflowing one keeps its float-lane bits: only the overflowing block is
        // redone in double. Its products cancel exactly in double (+p, -p, ...), so the whole dot is the first
        // block's alone, bit for bit, and it differs from that block summed in double, so the check can fail.
        int block = VectorKernels.BLOCK;
        float[] a = new float[2 * block];
        float[] b = new float[2 * block];
        Random random = new Random(7);
        for (int i = 0; i < block; i++) {
            a[i] = random.nextFloat() - 0.5f;
            b[i] = random.nextFloat() - 0.5f;
            a[block + i] = 3e19f;
            b[block + i] = i % 2 == 0 ? 3e19f : -3e19f;
        }
        double first = v.dot(block, a, 0, b, 0);
        assertTrue(first != scalar.dot(block, a, 0, b, 0), "float lanes and double give other bits here");
        assertEquals(first, v.dot(2 * block, a, 0, b, 0), 0.0);
    }

    @Test
    void maxAbsIsZeroForEmptyAndPropagatesNaNAndInfinityFromAnyPosition() {
        // the training pipeline's NaN/Inf checks rely on this, in the vector body and in the tail
        Kernels v = KernelsTestSupport.vector(2);
        assertEquals(0f, v.maxAbs(0, new float[0], 0));
        for (int at = 0; at < 37; at++) {
            for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                float[] x = new float[37];
                java.util.Arrays.fill(x, -3f);
                x[at] = bad;
                float expected = Float.isNaN(bad) ? Float.NaN : Float.POSITIVE_INFINITY;
                assertEquals(expected, v.maxAbs(37, x, 0), "vector, " + bad + " at " + at);
                assertEquals(expected, scalar.maxAbs(37, x, 0), "scalar, " + bad + " at " + at);
            }
            float[] both = new float[37];
            both[at] = Float.NaN;
            both[36 - at] = Float.POSITIVE_INFINITY;
            if (at != 36 - at) assertTrue(Float.isNaN(v.maxAbs(37, both, 0)), "NaN wins over Inf, NaN at " + at);
        }
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void allFiniteFindsNaNAndInfinityAnywhereAndNothingElse(int n) {
        Kernels v = KernelsTestSupport.vector(2);
        float[] x = new float[n + OFF];
        float[] finite = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 1.5f};
        for (int i = 0; i < x.length; i++) x[i] = finite[i % finite.length];
        assertTrue(v.allFinite(n, x, OFF), "all finite, n=" + n);
        assertTrue(scalar.allFinite(n, x, OFF));
        int[] positions = n == 0 ? new int[0] : new int[] {0, n / 2, n - 1};
        for (int at : positions) {
            for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                    Float.intBitsToFloat(0x7fc00001), Float.intBitsToFloat(0xffffffff)}) {
                float[] y = x.clone();
                y[OFF + at] = bad;
                assertFalse(v.allFinite(n, y, OFF), bad + " at " + at + ", n=" + n);
                assertFalse(scalar.allFinite(n, y, OFF), bad + " at " + at + ", n=" + n);
            }
        }
        if (OFF > 0) {
            float[] y = x.clone();
            y[OFF - 1] = Float.NaN; // outside the range: must not count
            assertTrue(v.allFinite(n, y, OFF), "NaN before the offset, n=" + n);
        }
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void signAndProximalKernelsAreBitIdentical(int n) {
        Kernels v = KernelsTestSupport.vector(2);
        Random rnd = new Random(7L * n + 1);
        float[] x = padded(data(rnd, n), OFF);
        if (n > 2) x[OFF + 2] = Float.NaN;
        float[] g = padded(data(rnd, n), 0);
        float[] gs = g.clone();
        v.addScaledSign(n, 0.01f, x, OFF, g, 0);
        scalar.addScaledSign(n, 0.01f, x, OFF, gs, 0);
        assertArrayEquals(gs, g, "addScaledSign");

        float[] t = x.clone();
        float[] ts = x.clone();
        v.softThreshold(n, 0.5f, t, OFF);
        scalar.softThreshold(n, 0.5f, ts, OFF);
        assertArrayEquals(ts, t, "softThreshold");
        for (int i = 0; i < n; i++) {
            if (Math.abs(x[OFF + i]) <= 0.5f) assertEquals(0, Float.floatToRawIntBits(t[OFF + i]), "exact +0 at " + i);
        }

        float[] c = x.clone();
        float[] cs = x.clone();
        v.clamp(n, -0.4f, 0.9f, c, OFF);
        scalar.clamp(n, -0.4f, 0.9f, cs, OFF);
        assertArrayEquals(cs, c, "clamp");
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void activationKernelsAreBitIdenticalIncludingAliasing(int n) {
        Kernels v = KernelsTestSupport.vector(2);
        Random rnd = new Random(11L * n + 5);
        float[] x = padded(data(rnd, n), OFF);
        float[] y = new float[n + 1];
        float[] ys = new float[n + 1];
        v.relu(n, x, OFF, y, 1);
        scalar.relu(n, x, OFF, ys, 1);
        assertArrayEquals(ys, y, "relu");
        float[] alias = x.clone();
        float[] aliasS = x.clone();
        v.relu(n, alias, OFF, alias, OFF);
        scalar.relu(n, aliasS, OFF, aliasS, OFF);
        assertArrayEquals(aliasS, alias, "relu in place");

        float[] in = data(rnd, n);
        float[] gOut = data(rnd, n);
        float[] gIn = new float[n];
        float[] gInS = new float[n];
        v.reluBackward(n, in, gOut, gIn);
        scalar.reluBackward(n, in, gOut, gInS);
        assertArrayEquals(gInS, gIn, "reluBackward");
        float[] g2 = gOut.clone();
        v.reluBackward(n, in, g2, g2);
        assertArrayEquals(gInS, g2, "reluBackward in place");

        float[] z = new float[n];
        float[] zs = new float[n];
        v.multiply(n, in, gOut, z);
        scalar.multiply(n, in, gOut, zs);
        assertArrayEquals(zs, z, "multiply");
        float[] za = in.clone();
        v.multiply(n, za, gOut, za);
        assertArrayEquals(zs, za, "multiply in place");
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void gatheredRowsAreTheIndexedRows(int rowSize) {
        Kernels v = KernelsTestSupport.vector(2);
        Random rnd = new Random(rowSize + 7);
        int srcRows = rowSize > 1000 ? 9 : 300;
        int rows = rowSize > 1000 ? 5 : 200; // 200 rows of 97 and more floats are split over the threads
        float[] src = data(rnd, srcRows * rowSize);
        int[] index = new int[rows + 3];
        for (int i = 0; i < index.length; i++) index[i] = rnd.nextInt(srcRows);
        float[] dst = new float[rows * rowSize];
        float[] dstS = new float[rows * rowSize];
        v.gatherRows(rows, rowSize, src, index, 3, dst);
        scalar.gatherRows(rows, rowSize, src, index, 3, dstS);
        assertArrayEquals(dstS, dst);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < rowSize; c++) assertEquals(src[index[3 + r] * rowSize + c], dst[r * rowSize + c]);
        }
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void rowAndColumnKernelsAreBitIdentical(int cols) {
        Kernels v = KernelsTestSupport.vector(2);
        Random rnd = new Random(cols + 99);
        int rows = cols > 1000 ? 3 : 5;
        float[] bias = data(rnd, cols);
        float[] out = data(rnd, rows * cols);
        float[] outS = out.clone();
        v.addRowVector(rows, cols, bias, out);
        scalar.addRowVector(rows, cols, bias, outS);
        assertArrayEquals(outS, out, "addRowVector");
        float[] acc = data(rnd, cols);
        float[] accS = acc.clone();
        v.addColumnSums(rows, cols, out, acc);
        scalar.addColumnSums(rows, cols, out, accS);
        assertArrayEquals(accS, acc, "addColumnSums");
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void optimizerKernelsAreBitIdentical(int n) {
        Kernels v = KernelsTestSupport.vector(2);
        Random rnd = new Random(5L * n + 3);
        float[] p0 = data(rnd, n);
        float[] g = data(rnd, n);
        float[] v0 = data(rnd, n);
        for (float mu : new float[] {0f, 0.9f}) {
            for (boolean nesterov : new boolean[] {false, true}) {
                float[] p = p0.clone();
                float[] vel = v0.clone();
                float[] ps = p0.clone();
                float[] vels = v0.clone();
                v.sgdMomentum(n, 0.05f, mu, nesterov, p, g, vel);
                scalar.sgdMomentum(n, 0.05f, mu, nesterov, ps, g, vels);
                assertArrayEquals(ps, p, "sgd p mu=" + mu + " nesterov=" + nesterov);
                assertArrayEquals(vels, vel, "sgd v mu=" + mu + " nesterov=" + nesterov);
            }
        }
        float[] p = p0.clone();
        float[] ps = p0.clone();
        float[] m = data(rnd, n);
        float[] ms = m.clone();
        float[] s = new float[n];
        for (int i = 0; i < n; i++) s[i] = Math.abs(v0[i]);
        float[] ss = s.clone();
        for (int t = 1; t <= 3; t++) {
            float bc1 = (float) (1 - Math.pow(0.9, t));
            float bc2 = (float) (1 - Math.pow(0.999, t));
            v.adam(n, 1e-3f, 0.9f, 0.999f, 1e-8f, bc1, bc2, p, g, m, s);
            scalar.adam(n, 1e-3f, 0.9f, 0.999f, 1e-8f, bc1, bc2, ps, g, ms, ss);
        }
        assertArrayEquals(ps, p, "adam p");
        assertArrayEquals(ms, m, "adam m");
        assertArrayEquals(ss, s, "adam v");
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void fusedDecayedSgdIsBitIdenticalToItsThreeKernelsAndFindsEveryNonFinite(int n) {
        Kernels v = KernelsTestSupport.vector(2);
        Random rnd = new Random(11L * n + 5);
        float[] p0 = data(rnd, n);
        float[] g0 = data(rnd, n);
        float[] v0 = data(rnd, n);
        for (float decay : new float[] {0f, 1e-4f, 0.3f}) {
            for (float mu : new float[] {0f, 0.9f}) {
                for (boolean nesterov : new boolean[] {false, true}) {
                    String what = "decay=" + decay + " mu=" + mu + " nesterov=" + nesterov + " n=" + n;
                    float[] p = p0.clone();
                    float[] g = g0.clone();
                    float[] vel = v0.clone();
                    float[] ps = p0.clone();
                    float[] gs = g0.clone();
                    float[] vels = v0.clone();
                    assertTrue(v.sgdMomentumWithDecay(n, 0.05f, mu, nesterov, decay, p, g, vel), what);
                    // the reference: the three separate scalar kernels
                    if (decay != 0f) scalar.axpy(n, decay, ps, 0, gs, 0);
                    scalar.sgdMomentum(n, 0.05f, mu, nesterov, ps, gs, vels);
                    assertArrayEquals(ps, p, "p " + what);
                    assertArrayEquals(gs, g, "g " + what);
                    assertArrayEquals(vels, vel, "v " + what);
                    assertTrue(scalar.sgdMomentumWithDecay(n, 0.05f, mu, nesterov, decay, p0.clone(), g0.clone(), v0.clone()));
                    for (int at : n == 0 ? new int[0] : new int[] {0, n / 2, n - 1}) {
                        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
                            float[] gb = g0.clone();
                            gb[at] = bad;
                            assertFalse(v.sgdMomentumWithDecay(n, 0.05f, mu, nesterov, decay, p0.clone(), gb, v0.clone()),
                                    bad + " in g at " + at + ", " + what);
                            assertFalse(v.sgdMomentumWithDecay(n, 0f, mu, nesterov, decay, p0.clone(), gb.clone(), v0.clone()),
                                    bad + " in g at " + at + " with lr = 0, " + what);
                            if (mu != 0f) {
                                float[] vb = v0.clone();
                                vb[at] = bad;
                                assertFalse(v.sgdMomentumWithDecay(n, 0.05f, mu, nesterov, decay, p0.clone(), g0.clone(), vb),
                                        bad + " in v at " + at + ", " + what);
                            }
                        }
                    }
                }
            }
        }
        if (n > 0) {
            float[] huge = new float[n];
            Arrays.fill(huge, 3e38f);
            assertFalse(v.sgdMomentumWithDecay(n, 1f, 0.9f, false, 10f, huge, new float[n], new float[n]),
                    "an overflow of the decayed gradient shows in the values");
        }
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void dropoutMasksAreBitIdenticalToTheCounterRngDefinition(int n) {
        Kernels v = KernelsTestSupport.vector(2);
        Random rnd = new Random(n + 17);
        float[] x = data(rnd, n);
        long[] keys = {CounterRng.key(42, CounterRng.stream("dense1"), 7), Long.MAX_VALUE, -1L, 0L};
        for (long key : keys) {
            for (float p : new float[] {0f, 0.1f, 0.5f, 0.9f, 1e-7f}) {
                float[] y = new float[n];
                float[] mask = new float[n];
                float[] ys = new float[n];
                float[] masks = new float[n];
                v.dropout(n, p, key, x, y, mask);
                scalar.dropout(n, p, key, x, ys, masks);
                assertArrayEquals(masks, mask, "mask p=" + p + " key=" + key);
                assertArrayEquals(ys, y, "y p=" + p + " key=" + key);
                float keep = 1f / (1f - p);
                for (int i = 0; i < n; i++) {
                    assertEquals(CounterRng.uniform(key, i) < p ? 0f : keep, mask[i], "definition at " + i);
                }
                float[] inPlace = x.clone();
                v.dropout(n, p, key, inPlace, inPlace, mask);
                assertArrayEquals(ys, inPlace, "in place p=" + p);
            }
        }
    }

    @Test
    void dropoutDropsAboutAFractionP() {
        Kernels v = KernelsTestSupport.vector(2);
        int n = 100_000;
        float[] x = new float[n];
        Arrays.fill(x, 1f);
        float[] mask = new float[n];
        v.dropout(n, 0.3f, CounterRng.key(1, 2, 3), x, x, mask);
        long dropped = IntStream.range(0, n).filter(i -> mask[i] == 0f).count();
        assertEquals(0.3, dropped / (double) n, 0.01);
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void softmaxRowsIsBitIdentical(int cols) {
        if (cols == 0) return;
        Kernels v = KernelsTestSupport.vector(2);
        Random rnd = new Random(cols + 1234);
        int rows = 3;
        float[] x = data(rnd, rows * cols);
        for (int i = 0; i < x.length; i++) x[i] *= 4f;
        float[] out = new float[x.length];
        float[] outS = new float[x.length];
        v.softmaxRows(rows, cols, x, out);
        scalar.softmaxRows(rows, cols, x, outS);
        assertArrayEquals(outS, out, "softmax cols=" + cols);
        float[] alias = x.clone();
        v.softmaxRows(rows, cols, alias, alias);
        assertArrayEquals(out, alias, "softmax in place");
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int c = 0; c < cols; c++) sum += out[r * cols + c];
            assertEquals(1.0, sum, 1e-5);
        }
    }
}
