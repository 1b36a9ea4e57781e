package dev.regula.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.regula.api.kernels.ConvGeometry;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The weight gradient unfolded piece by piece ({@link Convolution#pieceImages}) gives bit for bit
 * what one product over each chunk's whole patch matrix gives, with beta 0 (over NaN) and beta 0.5.
 */
class WeightGradientPiecesTest {
    /**
     * batch, in, H, W, out, kernel, stride, padding, and 1 where the piece loop must be taken: planes
     * 64 and 16 (pieces of 8 and 32 images, with a cut last piece), 1024 and 512 (one image), 256
     * (two), 25 (no pieces). The first four are geometries of the panels ({@link PatchPanels},
     * {@link PaddedPanels}), which take no pieces where in-register transposes exist (8 and 16
     * lanes); the "valid" convolutions after them (no padding, a smaller output) always take the
     * piece loop.
     */
    static Stream<int[]> geometries() {
        return Stream.of(
                new int[] {21, 5, 16, 16, 7, 4, 2, 1, 0},
                new int[] {70, 6, 8, 8, 9, 4, 2, 1, 0},
                new int[] {3, 2, 32, 32, 3, 3, 1, 1, 0},
                new int[] {11, 4, 4, 4, 12, 2, 1, 1, 0},
                new int[] {21, 5, 10, 10, 7, 3, 1, 0, 1},
                new int[] {70, 6, 6, 6, 9, 3, 1, 0, 1},
                new int[] {3, 2, 18, 34, 3, 3, 1, 0, 1},
                new int[] {5, 3, 17, 17, 4, 2, 1, 0, 1},
                new int[] {3, 2, 34, 34, 3, 3, 1, 0, 1});
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void piecesSumLikeOneProductPerChunk(int[] d) {
        assumeTrue(new VectorKernelsProvider().isSupported(), "jdk.incubator.vector not resolved");
        ConvGeometry g = new ConvGeometry(d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]);
        Random rnd = new Random(Arrays.hashCode(d));
        float[] x = KernelsTestSupport.data(rnd, g.inputSize());
        float[] gy = KernelsTestSupport.data(rnd, g.outputSize());
        float[] start = KernelsTestSupport.data(rnd, g.weightSize());
        int per = Convolution.weightChunkImages(g);
        int plane = g.outHeight() * g.outWidth();
        int piece = Convolution.pieceImages(g, per);
        if (d[8] == 1) {
            assertFalse(PatchPanels.applies(g) || PaddedPanels.applies(g), "the stored patch matrix, unfolded piece by piece");
            assertTrue(piece < per || plane % Gemm.KC == 0, "more than one piece per chunk");
        }
        if (plane % Gemm.KC == 0 || Gemm.KC % plane == 0) {
            assertEquals(plane % Gemm.KC == 0 ? 1 : Math.min(per, Gemm.KC / plane), piece, "images per piece");
        } else {
            assertEquals(per, piece, "a plane that makes no whole blocks is not cut");
        }
        WorkerTeam team = new WorkerTeam(1);
        Gemm gemm = new Gemm(team);
        Convolution conv = new Convolution(team, gemm);
        for (float beta : new float[] {0f, 0.5f}) {
            float[] actual = beta == 0f ? nan(g.weightSize()) : start.clone();
            conv.backwardWeight(g, x, gy, beta, actual);
            float[] expected = beta == 0f ? nan(g.weightSize()) : start.clone();
            oneProductPerChunk(gemm, g, per, x, gy, beta, expected);
            assertArrayEquals(expected, actual, "beta " + beta + " " + Arrays.toString(d));
        }
    }

    /** The weight gradient with each chunk's whole patch matrix in one product (one group: these chunks are at most eight). */
    private static void oneProductPerChunk(Gemm gemm, ConvGeometry g, int per, float[] x, float[] gy, float beta, float[] gw) {
        int out = g.outChannels();
        int patch = g.patch();
        int plane = g.outHeight() * g.outWidth();
        int chunks = Math.ceilDiv(g.batch(), per);
        assumeTrue(chunks == 1, "the reference sums a single group");
        for (int q = 0; q < chunks; q++) {
            int n0 = q * per;
            int count = Math.min(per, g.batch() - n0);
            int cols = count * plane;
            float[] c = new float[patch * cols];
            Patches.im2col(g, x, n0, count, c);
            float[] rows = new float[out * cols];
            Patches.toChannelMajor(gy, n0, count, out, plane, rows);
            gemm.gemm(false, true, out, patch, cols, 1f, rows, 0, cols, c, 0, cols, q == 0 ? beta : 1f, gw, 0, patch);
        }
    }

    private static float[] nan(int n) {
        float[] a = new float[n];
        Arrays.fill(a, Float.NaN);
        return a;
    }
}
