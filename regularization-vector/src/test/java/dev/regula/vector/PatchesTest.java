package dev.regula.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.regula.api.kernels.ConvGeometry;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The patch matrix and its adjoint, bit for bit against their definition, through the dispatching
 * methods and, where it applies, the shifted-plane path called directly. Geometries of that path:
 * stride 1 with a same-size output (kernels 1, 3 and 5, planes narrower and wider than a vector, a
 * plane of one value, a kernel wider than the image) and strides 2 and 3 with sides that are
 * multiples of the stride (the DCGAN discriminator's 4×4 with padding 1, 3×3, 2×2 without
 * padding); of the general path: odd sides at strides 2 and 3, other paddings; widths and heights
 * 1, 13, 15, 17, 31 and 33 and 1, 3, 5, 17 and 32 channels (the {@code cnn} model's 14×14 second
 * stage), on planes that are and are not whole vectors. Chunks start at the
 * first image and end at the last, so reads and writes touch both ends of the arrays. The adjoint
 * adds each value's terms in the order of the matrix's rows (at a stride above 1 into a sum from 0
 * that is then added), so the definition below, which does the same, gives the same bits.
 */
class PatchesTest {
    /** batch, in, H, W, kernel, stride, padding. */
    static Stream<int[]> geometries() {
        return Stream.of(
                new int[] {3, 2, 5, 7, 3, 1, 1},
                new int[] {2, 1, 28, 28, 3, 1, 1},
                new int[] {4, 3, 14, 14, 3, 1, 1},
                new int[] {2, 2, 17, 33, 3, 1, 1},
                new int[] {2, 2, 9, 6, 5, 1, 2},
                new int[] {3, 2, 4, 4, 1, 1, 0},
                new int[] {2, 1, 1, 1, 3, 1, 1},
                new int[] {2, 1, 3, 1, 5, 1, 2},
                new int[] {2, 3, 8, 8, 4, 2, 1},
                new int[] {2, 2, 32, 32, 4, 2, 1},
                new int[] {3, 2, 4, 4, 4, 2, 1},
                new int[] {2, 2, 8, 6, 3, 2, 1},
                new int[] {2, 1, 6, 4, 2, 2, 0},
                new int[] {2, 2, 9, 6, 3, 3, 0},
                new int[] {3, 2, 7, 5, 3, 2, 1},
                new int[] {2, 2, 11, 10, 4, 3, 1},
                new int[] {2, 2, 6, 6, 2, 1, 1},
                new int[] {3, 4, 16, 16, 4, 2, 1},
                new int[] {2, 2, 8, 8, 3, 1, 1},
                new int[] {3, 3, 8, 8, 5, 1, 2},
                new int[] {2, 2, 12, 8, 3, 2, 1},
                new int[] {3, 4, 4, 4, 2, 1, 1},
                new int[] {2, 3, 8, 8, 2, 1, 1},
                new int[] {2, 2, 16, 16, 2, 1, 1},
                new int[] {3, 2, 5, 7, 3, 1, 2},
                new int[] {2, 3, 3, 2, 2, 1, 3},
                // widths and heights around the vector widths, planes of whole vectors (16 rows) and not
                new int[] {2, 3, 16, 13, 3, 1, 1},
                new int[] {2, 5, 16, 17, 3, 1, 1},
                new int[] {2, 1, 16, 31, 3, 1, 1},
                new int[] {2, 17, 16, 33, 3, 1, 1},
                new int[] {2, 3, 31, 16, 3, 1, 1},
                new int[] {2, 3, 16, 1, 5, 1, 2},
                new int[] {2, 3, 1, 16, 5, 1, 2},
                new int[] {2, 32, 14, 14, 3, 1, 1},
                new int[] {2, 5, 13, 13, 3, 1, 1},
                new int[] {2, 3, 15, 15, 3, 1, 1},
                new int[] {2, 17, 9, 31, 3, 1, 1},
                new int[] {2, 3, 12, 14, 3, 1, 1},
                new int[] {2, 3, 16, 16, 1, 1, 0},
                new int[] {2, 17, 5, 5, 1, 1, 0},
                new int[] {2, 3, 14, 14, 2, 1, 1},
                new int[] {2, 3, 13, 15, 3, 1, 2},
                new int[] {2, 5, 7, 17, 2, 1, 1},
                new int[] {2, 3, 32, 26, 4, 2, 1},
                new int[] {2, 2, 24, 30, 3, 3, 1},
                new int[] {2, 1, 16, 16, 1, 2, 0},
                new int[] {2, 3, 14, 14, 4, 2, 1});
    }

    /**
     * The panels {@link PatchPanels} and {@link PaddedPanels} write are those of the stored patch
     * matrix packed as the product packs it (strips of {@link Gemm#NR} columns, zeros past the
     * block's last column), bit for bit, plain and transposed, for whole and cut blocks of rows and
     * columns; the input holds −0, infinities and a NaN so that the padding's zeros cannot come
     * from arithmetic on the input.
     */
    @ParameterizedTest
    @MethodSource("geometries")
    void panelsArePackedPatchMatricesBitForBit(int[] d) {
        assumeTrue(new VectorKernelsProvider().isSupported(), "the SIMD kernels' helper");
        ConvGeometry g = new ConvGeometry(d[0], d[1], d[2], d[3], 1, d[4], d[5], d[6]);
        assumeTrue(PatchPanels.applies(g) || PaddedPanels.applies(g), "a geometry of the panels");
        Random rnd = new Random(Arrays.hashCode(d));
        float[] x = new float[g.inputSize()];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        x[0] = -0f;
        x[x.length - 1] = Float.POSITIVE_INFINITY;
        x[x.length / 2] = Float.NaN;
        x[x.length / 3] = Float.NEGATIVE_INFINITY;
        int patch = g.patch();
        for (int[] chunk : new int[][] {{0, 1}, {1, g.batch() - 1}, {0, g.batch()}}) {
            int n0 = chunk[0];
            int count = chunk[1];
            int cols = count * g.outHeight() * g.outWidth();
            float[] expectedCols = im2col(g, x, n0, count);
            String what = Arrays.toString(d) + " images " + n0 + "+" + count;
            Gemm.Panels panels;
            Gemm.Panels transposed = null;
            if (PatchPanels.applies(g)) {
                PatchPanels.Layout layout = PatchPanels.Layout.of(g);
                float[] buffer = new float[layout.bufferSize(count) + 7];
                Arrays.fill(buffer, Float.NaN); // the margins are never read into a panel
                PatchPanels patchPanels = new PatchPanels(layout, x, n0, count, buffer);
                panels = patchPanels;
                if (PatchPanels.transposes(g)) transposed = patchPanels.transposed();
            } else {
                float[] buffer = new float[PaddedPanels.bufferSize(g, count) + 7];
                Arrays.fill(buffer, Float.NaN); // the layout clears what it uses
                PaddedPanels paddedPanels = new PaddedPanels(g, x, n0, count, buffer);
                panels = paddedPanels;
                if (BlockTranspose.supported()) transposed = paddedPanels.transposed();
            }
            int half = Math.max(1, patch / 2);
            int midColumn = cols / 2 / Gemm.NR * Gemm.NR;
            for (int[] b : new int[][] {{0, patch, 0, cols}, {half, patch - half, 0, cols}, {0, half, midColumn, cols - midColumn}}) {
                float[] got = packed(panels, b);
                assertSameBits(expectedPanels(b, (row, col) -> expectedCols[row * cols + col]), got, "panel of " + what + " block " + Arrays.toString(b));
            }
            if (transposed == null) continue;
            // inner index the positions (for PatchPanels in blocks of whole vectors), columns the patch rows
            int lanes = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
            int mid = cols / 2 / lanes * lanes;
            int rowStart = patch > Gemm.NR ? Gemm.NR : 0;
            for (int[] b : new int[][] {{0, cols, 0, patch}, {mid, cols - mid, rowStart, patch - rowStart}, {0, Math.max(lanes, mid), 0, Math.min(patch, 3)}}) {
                float[] got = packed(transposed, b);
                assertSameBits(expectedPanels(b, (position, row) -> expectedCols[row * cols + position]), got,
                        "transposed panel of " + what + " block " + Arrays.toString(b));
            }
        }
    }

    /** A matrix entry by (inner index, column). */
    private interface Entry2 {
        float at(int inner, int column);
    }

    /** @return block {pc, kc, jc, nc} packed by {@code panels} into a buffer first filled with NaN */
    private static float[] packed(Gemm.Panels panels, int[] block) {
        float[] got = new float[Math.ceilDiv(block[3], Gemm.NR) * Gemm.NR * block[1]];
        Arrays.fill(got, Float.NaN);
        panels.pack(block[0], block[1], block[2], block[3], got);
        return got;
    }

    /** @return block {pc, kc, jc, nc} of the matrix in strips: (p, j) of strip s at s·NR·kc + p·NR + j, 0 past nc */
    private static float[] expectedPanels(int[] block, Entry2 matrix) {
        int pc = block[0], kc = block[1], jc = block[2], nc = block[3];
        int strips = Math.ceilDiv(nc, Gemm.NR);
        float[] expected = new float[strips * Gemm.NR * kc];
        for (int s = 0; s < strips; s++) {
            for (int p = 0; p < kc; p++) {
                for (int j = 0; j < Gemm.NR; j++) {
                    int col = s * Gemm.NR + j;
                    expected[s * Gemm.NR * kc + p * Gemm.NR + j] = col < nc ? matrix.at(pc + p, jc + col) : 0f;
                }
            }
        }
        return expected;
    }

    private static void assertSameBits(float[] expected, float[] got, String what) {
        for (int i = 0; i < got.length; i++) {
            int at = i;
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(got[i]), () -> what + ", value " + at);
        }
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void im2colAndCol2imAreTheirDefinitionBitForBit(int[] d) {
        assumeTrue(new VectorKernelsProvider().isSupported(), "the SIMD kernels' helper");
        ConvGeometry g = new ConvGeometry(d[0], d[1], d[2], d[3], 1, d[4], d[5], d[6]);
        Random rnd = new Random(Arrays.hashCode(d));
        float[] x = new float[g.inputSize()];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        int plane = g.outHeight() * g.outWidth();
        int patch = g.patch();
        // chunks [0, 1) and [1, batch): the first image alone, then the rest to the end
        for (int[] chunk : new int[][] {{0, 1}, {1, g.batch() - 1}, {0, g.batch()}}) {
            int n0 = chunk[0];
            int count = chunk[1];
            float[] cols = new float[patch * count * plane];
            Arrays.fill(cols, Float.NaN);
            Patches.im2col(g, x, n0, count, cols);
            float[] expectedCols = im2col(g, x, n0, count);
            assertArrayEquals(expectedCols, cols, () -> "im2col " + Arrays.toString(d) + " images " + n0 + "+" + count);
            if (Patches.phasePlanes(g)) { // the shifted-plane path itself, also where planes are too small for it to be taken
                Arrays.fill(cols, Float.NaN);
                Patches.im2colPlanes(g, x, n0, count, cols);
                assertArrayEquals(expectedCols, cols, () -> "im2colPlanes " + Arrays.toString(d) + " images " + n0 + "+" + count);
            }

            float[] gradCols = new float[cols.length];
            for (int i = 0; i < gradCols.length; i++) gradCols[i] = (float) rnd.nextGaussian();
            gradCols[0] = -0f;
            gradCols[gradCols.length - 1] = -0f;
            float[] start = new float[x.length];
            for (int i = 0; i < start.length; i++) start[i] = (float) rnd.nextGaussian();
            float[] expected = col2im(g, gradCols, n0, count, start.clone());
            float[] got = start.clone();
            Patches.col2im(g, gradCols.clone(), n0, count, got);
            assertArrayEquals(expected, got, () -> "col2im " + Arrays.toString(d) + " images " + n0 + "+" + count);
            if (g.stride() > 1 && PatchPanels.applies(g)) { // the masked sums of the panels' layout
                PatchPanels.Layout layout = PatchPanels.Layout.of(g);
                float[] masked = start.clone();
                float[] buffer = new float[layout.bufferSize(1) + 5];
                Arrays.fill(buffer, Float.NaN); // cleared before each image
                PatchPanels.col2im(layout, gradCols.clone(), n0, count, masked, buffer);
                assertArrayEquals(expected, masked, () -> "PatchPanels.col2im " + Arrays.toString(d) + " images " + n0 + "+" + count);
            }
            if (PaddedPanels.applies(g)) { // the padded layout's sums
                float[] padded = start.clone();
                float[] buffer = new float[PaddedPanels.bufferSize(g, count) + 5];
                Arrays.fill(buffer, Float.NaN); // laid out anew before the sums
                PaddedPanels.col2im(g, gradCols.clone(), n0, count, padded, buffer);
                assertArrayEquals(expected, padded, () -> "PaddedPanels.col2im " + Arrays.toString(d) + " images " + n0 + "+" + count);
            }
            if (Patches.phasePlanes(g)) {
                float[] byPlanes = start.clone();
                Patches.col2imPlanes(g, gradCols.clone(), n0, count, byPlanes);
                assertArrayEquals(expected, byPlanes, () -> "col2imPlanes " + Arrays.toString(d) + " images " + n0 + "+" + count);
            }
        }
    }

    /** Entry ((c, ki, kj), (n, oy, ox)) = x[n0 + n, c, oy·s − p + ki, ox·s − p + kj], 0 in the padding. */
    private static float[] im2col(ConvGeometry g, float[] x, int n0, int count) {
        float[] cols = new float[g.patch() * count * g.outHeight() * g.outWidth()];
        forEachEntry(g, n0, count, (n, entry, at) -> cols[entry] = at < 0 ? 0f : x[at]);
        return cols;
    }

    /**
     * The adjoint, image by image and row by row: at stride 1 every entry added to its input value;
     * at a larger stride an image's entries summed from 0 first and each sum then added.
     */
    private static float[] col2im(ConvGeometry g, float[] cols, int n0, int count, float[] x) {
        int imageSize = g.inChannels() * g.height() * g.width();
        float[] sums = new float[x.length];
        int[] image = {-1};
        forEachEntry(g, n0, count, (n, entry, at) -> {
            if (g.stride() > 1 && n != image[0]) { // a new image: add the last one's sums
                if (image[0] >= 0) addImage(sums, x, (n0 + image[0]) * imageSize, imageSize);
                image[0] = n;
            }
            if (at >= 0) (g.stride() > 1 ? sums : x)[at] += cols[entry];
        });
        if (g.stride() > 1 && image[0] >= 0) addImage(sums, x, (n0 + image[0]) * imageSize, imageSize);
        return x;
    }

    private static void addImage(float[] sums, float[] x, int from, int size) {
        for (int i = from; i < from + size; i++) x[i] += sums[i];
    }

    /** One entry of the patch matrix: its image n − n0, its index, and the input value it reads (−1 in the padding). */
    private interface Entry {
        void at(int n, int entry, int input);
    }

    /** Visits every entry, image by image, then row by row (c, ki, kj), then by output position. */
    private static void forEachEntry(ConvGeometry g, int n0, int count, Entry visit) {
        int plane = g.outHeight() * g.outWidth();
        int ld = count * plane;
        for (int n = 0; n < count; n++) {
            int row = 0;
            for (int c = 0; c < g.inChannels(); c++) {
                for (int ki = 0; ki < g.kernel(); ki++) {
                    for (int kj = 0; kj < g.kernel(); kj++, row++) {
                        for (int oy = 0; oy < g.outHeight(); oy++) {
                            for (int ox = 0; ox < g.outWidth(); ox++) {
                                int iy = oy * g.stride() - g.padding() + ki;
                                int ix = ox * g.stride() - g.padding() + kj;
                                boolean inside = iy >= 0 && iy < g.height() && ix >= 0 && ix < g.width();
                                int at = inside ? (((n0 + n) * g.inChannels() + c) * g.height() + iy) * g.width() + ix : -1;
                                visit.at(n, row * ld + n * plane + oy * g.outWidth() + ox, at);
                            }
                        }
                    }
                }
            }
        }
    }
}
