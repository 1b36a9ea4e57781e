package dev.regula.vector;

import static dev.regula.vector.KernelsTestSupport.data;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.regula.api.kernels.Kernels;
import dev.regula.core.kernels.ScalarKernels;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SIMD activation kernels against the scalar reference: leaky ReLU and the derivatives of all
 * three activations bit-identical, tanh and σ within {@link #MAX_ULPS} ulp, with ±0, ±∞ and NaN
 * exactly as the reference gives them, and the same bits before and after C2 compiles them; no
 * element beyond n is written.
 */
class ActivationKernelsTest {
    /** The tolerance {@link Kernels#tanh} and {@link Kernels#sigmoid} allow a provider. */
    static final int MAX_ULPS = 1;

    private final Kernels scalar = new ScalarKernels();

    static IntStream sizes() {
        return KernelsTestSupport.sizes();
    }

    /** data() spread over ±12, where tanh and σ saturate, with one value beyond n that must stay. */
    private static float[] wide(Random rnd, int n) {
        float[] x = Arrays.copyOf(data(rnd, n), n + 1);
        for (int i = 0; i < n; i++) x[i] *= 4;
        x[n] = 12345f;
        return x;
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void leakyReluAndTheDerivativesAreBitIdenticalIncludingInPlace(int n) {
        Kernels v = KernelsTestSupport.vector(2);
        Random rnd = new Random(31L * n + 1);
        float[] x = wide(rnd, n);
        float[] gOut = wide(rnd, n);
        float[] y = wide(rnd, n);

        assertSame(n, "leakyRelu", (k, out) -> k.leakyRelu(n, 0.2f, x, out), v);
        assertSame(n, "leakyReluBackward", (k, out) -> k.leakyReluBackward(n, 0.2f, x, gOut, out), v);
        assertSame(n, "tanhBackward", (k, out) -> k.tanhBackward(n, y, gOut, out), v);
        assertSame(n, "sigmoidBackward", (k, out) -> k.sigmoidBackward(n, y, gOut, out), v);

        float[] inPlace = x.clone();
        float[] inPlaceScalar = x.clone();
        v.leakyRelu(n, 0.01f, inPlace, inPlace);
        scalar.leakyRelu(n, 0.01f, inPlaceScalar, inPlaceScalar);
        assertArrayEquals(inPlaceScalar, inPlace, "leakyRelu in place");
        for (String kernel : new String[] {"leakyReluBackward", "tanhBackward", "sigmoidBackward"}) {
            float[] g = gOut.clone();
            float[] gScalar = gOut.clone();
            backward(v, kernel, n, x, y, g);
            backward(scalar, kernel, n, x, y, gScalar);
            assertArrayEquals(gScalar, g, kernel + " with gIn = gOut");
        }
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void tanhAndSigmoidAreWithinOneUlpIncludingInPlace(int n) {
        Kernels v = KernelsTestSupport.vector(2);
        float[] x = wide(new Random(17L * n + 3), n);
        assertWithinUlps(n, "tanh", x, (k, in, out) -> k.tanh(n, in, out), v);
        assertWithinUlps(n, "sigmoid", x, (k, in, out) -> k.sigmoid(n, in, out), v);
    }

    @Test
    void specialValuesAreExactlyTheReferences() {
        Kernels v = KernelsTestSupport.vector(2);
        float[] x = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1e-30f, -1e-30f,
            9f, -9f, 20f, -20f, 50f, -50f, 88f, -88f, 100f, -100f, Float.MAX_VALUE, -Float.MAX_VALUE};
        for (int n : new int[] {x.length, 3}) { // whole vectors and tails, in every lane position
            for (int shift = 0; shift < x.length; shift++) {
                float[] shifted = new float[n];
                for (int i = 0; i < n; i++) shifted[i] = x[(i + shift) % x.length];
                int len = n;
                assertWithinUlps(n, "tanh", Arrays.copyOf(shifted, n + 1), (k, in, out) -> k.tanh(len, in, out), v);
                assertWithinUlps(n, "sigmoid", Arrays.copyOf(shifted, n + 1), (k, in, out) -> k.sigmoid(len, in, out), v);
            }
        }
        float[] y = new float[6];
        v.tanh(6, new float[] {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 30f}, y);
        assertArrayEquals(new float[] {0f, -0f, 1f, -1f, Float.NaN, 1f}, y, "tanh of ±0, ±∞, NaN, 30");
        v.sigmoid(6, new float[] {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 30f}, y);
        assertArrayEquals(new float[] {0.5f, 0.5f, 1f, 0f, Float.NaN, 1f}, y, "sigmoid of ±0, ±∞, NaN, 30");
    }

    /**
     * The checks above run mostly before C2 has compiled the kernels. Compiled, the Vector API's own
     * math operations call another library than {@link Math} interpreted does, so a kernel built
     * on them would give other bits after compilation and runs would not be reproducible. This
     * test keeps the first call's bits, calls the kernels until they are compiled, and requires
     * the same bits again, and exact special values.
     */
    @Test
    void tanhAndSigmoidGiveTheSameBitsBeforeAndAfterCompilation() {
        Kernels v = KernelsTestSupport.vector(1);
        Random rnd = new Random(5);
        int n = 4099;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(9) - 6));
        float[] specials = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1e-40f, -1e-40f,
            88f, -88f, 100f, -100f, Float.MAX_VALUE, -Float.MAX_VALUE};
        System.arraycopy(specials, 0, x, n - specials.length, specials.length); // in the masked tail too
        float[] tanhFirst = new float[n];
        float[] sigmoidFirst = new float[n];
        v.tanh(n, x, tanhFirst);
        v.sigmoid(n, x, sigmoidFirst);
        float[] tanh = new float[n];
        float[] sigmoid = new float[n];
        for (int round = 0; round < 20_000; round++) {
            v.tanh(n, x, tanh);
            v.sigmoid(n, x, sigmoid);
        }
        assertArrayEquals(tanhFirst, tanh, "tanh before and after compilation");
        assertArrayEquals(sigmoidFirst, sigmoid, "sigmoid before and after compilation");
        float[] tanhScalar = new float[n];
        float[] sigmoidScalar = new float[n];
        scalar.tanh(n, x, tanhScalar);
        scalar.sigmoid(n, x, sigmoidScalar);
        compare("tanh, compiled", x, tanhScalar, tanh);
        compare("sigmoid, compiled", x, sigmoidScalar, sigmoid);
        int tail = n - specials.length;
        assertArrayEquals(Arrays.copyOfRange(tanhScalar, tail, n), Arrays.copyOfRange(tanh, tail, n), "tanh of special values");
        assertArrayEquals(Arrays.copyOfRange(sigmoidScalar, tail, n), Arrays.copyOfRange(sigmoid, tail, n),
                "sigmoid of special values");
    }

    /**
     * The SIMD tanh and σ against a plain-Java model of their algorithm (the same operations in the
     * same order, lane by lane, with {@link Math#fma}), bit for bit. Unlike the test above this does
     * not depend on when the JIT compiles anything: a kernel built on operations whose bits change
     * with compilation (the Vector API's {@code TANH} fails it) or computed in float fails here; a
     * reordering of the double arithmetic that changes no float result in these values does not.
     * Values: a strided sweep over every float bit pattern, and every float of the ranges where the
     * algorithm switches branch (2^−7 to 2^−5) or σ turns subnormal (−104 to −87).
     */
    @Test
    void tanhAndSigmoidAreBitForBitTheirDocumentedAlgorithm() {
        Kernels v = KernelsTestSupport.vector(1);
        assumeTrue(DoubleExp.F_OF_D != null, "fewer than 4 double lanes: the kernels are the scalar reference");
        checkAgainstModel(v, 0, 1L << 32, 65_537);
        checkAgainstModel(v, Float.floatToRawIntBits(0x1p-7f), Float.floatToRawIntBits(0x1p-5f), 7);
        checkAgainstModel(v, Float.floatToRawIntBits(-87f), Float.floatToRawIntBits(-104f), 13);
    }

    private static void checkAgainstModel(Kernels v, long fromBits, long toBits, long step) {
        int chunk = 1 << 14;
        float[] x = new float[chunk];
        float[] tanh = new float[chunk];
        float[] sigmoid = new float[chunk];
        for (long bits = fromBits; bits < toBits; ) {
            int n = 0;
            for (; n < chunk && bits < toBits; n++, bits += step) x[n] = Float.intBitsToFloat((int) bits);
            v.tanh(n, x, tanh);
            v.sigmoid(n, x, sigmoid);
            for (int i = 0; i < n; i++) {
                if (Float.isNaN(x[i])) continue;
                assertEquals(Float.floatToRawIntBits(tanhModel(x[i])), Float.floatToRawIntBits(tanh[i]), "tanh(" + x[i] + ")");
                assertEquals(Float.floatToRawIntBits(sigmoidModel(x[i])), Float.floatToRawIntBits(sigmoid[i]), "sigmoid(" + x[i] + ")");
            }
        }
    }

    /** e^a for −700 ≤ a ≤ 0, as DoubleExp documents it. */
    private static double expModel(double a) {
        double shifted = Math.fma(a, 1.4426950408889634, 0x1.8p52);
        double n = shifted - 0x1.8p52;
        double r = Math.fma(n, -1.90821492927058770002e-10, Math.fma(n, -6.93147180369123816490e-01, a));
        double p = Math.fma(r, 1.0 / 362880, 1.0 / 40320);
        for (double c : new double[] {1.0 / 5040, 1.0 / 720, 1.0 / 120, 1.0 / 24, 1.0 / 6, 1.0 / 2, 1, 1}) p = Math.fma(p, r, c);
        long twoToN = (Double.doubleToRawLongBits(shifted) - (Double.doubleToRawLongBits(0x1.8p52) - 1023)) << 52;
        return p * Double.longBitsToDouble(twoToN);
    }

    private static float tanhModel(float x) {
        double v = x;
        double ax = Math.abs(v);
        double e = expModel(Math.max(ax * -2, -700));
        double large = (1 - e) / (1 + e);
        double z = v * v;
        double small = v * Math.fma(Math.fma(z, 2.0 / 15, -1.0 / 3), z, 1);
        return (float) (ax < 0x1p-6 ? small : v < 0 ? -large : large);
    }

    private static float sigmoidModel(float x) {
        double v = x;
        double e = expModel(Math.max(-Math.abs(v), -700));
        double d = e + 1;
        return (float) (v < 0 ? e / d : 1 / d);
    }

    private interface Into {
        void run(Kernels k, float[] out);
    }

    private interface Map {
        void run(Kernels k, float[] in, float[] out);
    }

    private void assertSame(int n, String kernel, Into call, Kernels v) {
        float[] out = new float[n + 1];
        float[] outScalar = new float[n + 1];
        out[n] = outScalar[n] = 7f;
        call.run(v, out);
        call.run(scalar, outScalar);
        assertArrayEquals(outScalar, out, kernel);
    }

    private static void backward(Kernels k, String kernel, int n, float[] x, float[] y, float[] g) {
        switch (kernel) {
            case "leakyReluBackward" -> k.leakyReluBackward(n, 0.2f, x, g, g);
            case "tanhBackward" -> k.tanhBackward(n, y, g, g);
            default -> k.sigmoidBackward(n, y, g, g);
        }
    }

    /** Out of place and in place; the element after n keeps its value. */
    private void assertWithinUlps(int n, String kernel, float[] x, Map call, Kernels v) {
        float[] expected = new float[n + 1];
        float[] actual = new float[n + 1];
        expected[n] = actual[n] = 7f;
        call.run(scalar, x, expected);
        call.run(v, x, actual);
        compare(kernel, x, expected, actual);
        float[] inPlace = x.clone();
        call.run(v, inPlace, inPlace);
        float[] expectedInPlace = Arrays.copyOf(expected, n + 1);
        expectedInPlace[n] = x[n];
        compare(kernel + " in place", x, expectedInPlace, inPlace);
    }

    private static void compare(String kernel, float[] x, float[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            long ulps = ulpDistance(expected[i], actual[i]);
            if (ulps > MAX_ULPS) {
                fail(kernel + "(" + x[i] + ") at " + i + ": " + actual[i] + ", reference " + expected[i] + " (" + ulps + " ulps)");
            }
        }
        assertEquals(expected.length, actual.length);
    }

    /** Distance in representable floats; NaN only matches NaN, +0 and −0 are 1 apart. */
    private static long ulpDistance(float a, float b) {
        if (Float.isNaN(a) || Float.isNaN(b)) return Float.isNaN(a) && Float.isNaN(b) ? 0 : Long.MAX_VALUE;
        return Math.abs(ordered(a) - ordered(b));
    }

    private static long ordered(float f) {
        int bits = Float.floatToRawIntBits(f);
        return bits >= 0 ? bits : (long) Integer.MIN_VALUE - bits - 1; // −0 → −1, below +0 → 0
    }
}
