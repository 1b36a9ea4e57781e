package dev.regula.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The phase-plane split and its adjoint, bit for bit against their definition, on planes that are
 * and are not a whole number of vectors (the gathers' scalar tail), at strides 1 to 3, with values
 * whose bits a careless move would change (−0, infinities, NaN), the image and the phase planes
 * each at an offset inside a larger array with sentinels around it.
 */
class PhasePlanesTest {
    private static final float SENTINEL = 12345f;

    @ParameterizedTest
    @CsvSource({"32, 32, 2, 3", "16, 16, 2, 24", "8, 8, 2, 5", "6, 6, 2, 2", "4, 2, 2, 1", "9, 12, 3, 2", "5, 7, 1, 2", "2, 2, 2, 1"})
    void splitAndAddBackFollowTheirDefinitionBitForBit(int height, int width, int s, int channels) {
        assumeTrue(new VectorKernelsProvider().isSupported(), "the SIMD kernels' helper");
        Random r = new Random(height * 131L + width * 7L + s);
        int size = channels * height * width;
        int from = 3;
        int to = 5;
        float[] x = values(r, from + size + 4);
        float[] phases = new float[to + size + 4];
        Arrays.fill(phases, SENTINEL);
        PhasePlanes planes = new PhasePlanes(height, width, s);

        int[] source = definition(height, width, s, channels);

        planes.split(x, from, channels, phases, to);
        float[] expected = new float[phases.length];
        Arrays.fill(expected, SENTINEL);
        for (int d = 0; d < size; d++) expected[to + d] = x[from + source[d]];
        assertArrayEquals(bits(expected), bits(phases), "split");

        float[] grad = values(r, phases.length);
        float[] sums = x.clone();
        planes.addBack(grad, to, channels, sums, from);
        float[] want = x.clone();
        for (int d = 0; d < size; d++) want[from + source[d]] += grad[to + d];
        assertArrayEquals(bits(want), bits(sums), "addBack");
    }

    /** @return for each phase-plane value of an image, in order (c, ry, rx, py, px), the image value it holds */
    private static int[] definition(int height, int width, int s, int channels) {
        int[] source = new int[channels * height * width];
        int d = 0;
        for (int c = 0; c < channels; c++) {
            for (int ry = 0; ry < s; ry++) {
                for (int rx = 0; rx < s; rx++) {
                    for (int py = 0; py < height / s; py++) {
                        for (int px = 0; px < width / s; px++) source[d++] = (c * height + s * py + ry) * width + s * px + rx;
                    }
                }
            }
        }
        return source;
    }

    private static float[] values(Random r, int n) {
        float[] v = new float[n];
        float[] special = {-0f, 0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.MIN_VALUE};
        for (int i = 0; i < n; i++) v[i] = r.nextInt(8) == 0 ? special[r.nextInt(special.length)] : (float) r.nextGaussian();
        return v;
    }

    private static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) b[i] = Float.floatToRawIntBits(v[i]);
        return b;
    }
}
