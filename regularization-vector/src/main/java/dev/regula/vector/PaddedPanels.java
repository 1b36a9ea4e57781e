package dev.regula.vector;

import dev.regula.api.kernels.ConvGeometry;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * A chunk's patch matrix ({@link Patches}) unfolded straight into a product's panels
 * ({@link Gemm.Panels}) for stride-1 convolutions whose padding is at least the kernel side less
 * one (the generator's upsampling convolution: 2×2, padding 1), and the adjoint col2im for them.
 *
 * <p>Each channel of the chunk is laid out once as one row of images, image n's OH×OW output
 * grid at n·OH·OW holding its input at rows and columns [p, p + H) × [p, p + W) and zeros
 * elsewhere. Output position (oy, ox) of tap (ki, kj) reads input (oy − p + ki, ox − p + kj),
 * which is this layout's value at flat index (oy + ki)·OW + ox + kj: a flat shift of the output
 * index by ki·OW + kj, for every position of the chunk at once. Where ox + kj passes the grid's
 * right edge the shift lands in the next row's first columns, and where oy + ki passes its bottom
 * in the next image's first rows; both are padding (p ≥ k − 1 columns and rows) and so 0, as the
 * patch matrix has it. A panel vector is thus one load; the values are those {@link Patches#im2col}
 * writes, so a product on these panels has the bits of the one on the stored matrix.
 */
final class PaddedPanels implements Gemm.Panels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = F.length();

    private final float[] grid;
    private final int[] shift;

    /**
     * Lays out images [n0, n0 + count) of {@code x} in {@code buffer}.
     *
     * @param g a geometry that {@link #applies}
     * @param x the input batch
     * @param n0 the chunk's first image
     * @param count the chunk's images
     * @param buffer at least {@link #bufferSize(ConvGeometry, int) bufferSize(g, count)} floats
     */
    PaddedPanels(ConvGeometry g, float[] x, int n0, int count, float[] buffer) {
        this.grid = buffer;
        this.shift = shifts(g, count);
        layOut(g, x, n0, count, buffer);
    }

    /**
     * @param g a geometry
     * @return whether its patch rows are flat shifts of the padded layout: stride 1 and a padding
     *     of at least the kernel side less one
     */
    static boolean applies(ConvGeometry g) {
        return g.stride() == 1 && g.padding() >= g.kernel() - 1;
    }

    /**
     * @param g a geometry that {@link #applies}
     * @param count images of a chunk
     * @return floats of the chunk's layout, with room after each channel for the largest shift and a vector
     */
    static int bufferSize(ConvGeometry g, int count) {
        return g.inChannels() * span(g, count);
    }

    private static int span(ConvGeometry g, int count) {
        int k = g.kernel();
        return count * g.outHeight() * g.outWidth() + (k - 1) * g.outWidth() + (k - 1) + 2 * LANES;
    }

    /** @return per patch row (c, ki, kj): where chunk position 0 reads in the layout */
    private static int[] shifts(ConvGeometry g, int count) {
        int k = g.kernel();
        int span = span(g, count);
        int[] shift = new int[g.patch()];
        int row = 0;
        for (int c = 0; c < g.inChannels(); c++) {
            for (int ki = 0; ki < k; ki++) {
                for (int kj = 0; kj < k; kj++) shift[row++] = c * span + ki * g.outWidth() + kj;
            }
        }
        return shift;
    }

    /** Writes the layout of images [n0, n0 + count) of {@code x}: zeros, then each input row in place. */
    private static void layOut(ConvGeometry g, float[] x, int n0, int count, float[] buffer) {
        Arrays.fill(buffer, 0, bufferSize(g, count), 0f);
        copyRows(g, x, n0, count, buffer, true);
    }

    /** Copies every input row of images [n0, n0 + count) from x to its place in the layout, or back. */
    private static void copyRows(ConvGeometry g, float[] x, int n0, int count, float[] buffer, boolean toLayout) {
        int span = span(g, count);
        int outW = g.outWidth();
        int outPlane = g.outHeight() * outW;
        int p = g.padding();
        int h = g.height();
        int w = g.width();
        for (int c = 0; c < g.inChannels(); c++) {
            for (int n = 0; n < count; n++) {
                int image = ((n0 + n) * g.inChannels() + c) * h * w;
                int place = c * span + n * outPlane + p * outW + p;
                for (int iy = 0; iy < h; iy++) {
                    if (toLayout) {
                        System.arraycopy(x, image + iy * w, buffer, place + iy * outW, w);
                    } else {
                        System.arraycopy(buffer, place + iy * outW, x, image + iy * w, w);
                    }
                }
            }
        }
    }

    @Override
    public void pack(int pc, int kc, int jc, int nc, float[] dst) {
        for (int jr = 0; jr < nc; jr += Gemm.NR) {
            int base = jr * kc;
            int j0 = jc + jr;
            int inFirst = Math.min(LANES, nc - jr); // columns of each half inside the block
            int inSecond = Math.max(0, Math.min(LANES, nc - jr - LANES));
            VectorMask<Float> first = inFirst == LANES ? null : VectorMask.fromLong(F, (1L << inFirst) - 1);
            VectorMask<Float> second = inSecond == LANES ? null : VectorMask.fromLong(F, (1L << inSecond) - 1);
            for (int p = 0, d = base; p < kc; p++, d += Gemm.NR) {
                int at = shift[pc + p] + j0;
                FloatVector a = FloatVector.fromArray(F, grid, at);
                FloatVector b = FloatVector.fromArray(F, grid, at + LANES);
                (first == null ? a : FloatVector.zero(F).blend(a, first)).intoArray(dst, d);
                (second == null ? b : FloatVector.zero(F).blend(b, second)).intoArray(dst, d + LANES);
            }
        }
    }

    /**
     * @return panels of the transposed patch matrix (inner index: the chunk's positions; columns:
     *     the patch rows), for the weight gradient gy·colsᵀ: blocks of LANES patch rows × LANES
     *     positions loaded as in {@link #pack} and transposed in registers ({@link BlockTranspose})
     */
    Gemm.Panels transposed() {
        return (pc, kc, jc, nc, dst) -> {
            float[] block = new float[LANES * LANES];
            float[] flipped = new float[LANES * LANES];
            FloatVector zero = FloatVector.zero(F);
            for (int jr = 0; jr < nc; jr += Gemm.NR) {
                int base = jr * kc;
                for (int h = 0; h < Gemm.NR; h += LANES) {
                    int rows = Math.max(0, Math.min(LANES, nc - jr - h));
                    for (int p = 0; p < kc; p += LANES) {
                        for (int r = 0; r < LANES; r++) {
                            if (r < rows) {
                                FloatVector.fromArray(F, grid, shift[jc + jr + h + r] + pc + p).intoArray(block, r * LANES);
                            } else {
                                zero.intoArray(block, r * LANES);
                            }
                        }
                        int positions = Math.min(LANES, kc - p);
                        if (positions == LANES) {
                            BlockTranspose.transpose(block, 0, LANES, dst, base + p * Gemm.NR + h, Gemm.NR);
                        } else { // the block's last positions: only those rows of the panel exist
                            BlockTranspose.transpose(block, 0, LANES, flipped, 0, LANES);
                            for (int q = 0; q < positions; q++) {
                                System.arraycopy(flipped, q * LANES, dst, base + (p + q) * Gemm.NR + h, LANES);
                            }
                        }
                    }
                }
            }
        };
    }

    /**
     * {@link Patches#col2im} for a geometry that {@link #applies}: the chunk of x is laid out as
     * above, every patch row's values are added at the row's shift a vector at a time, row after
     * row, and the input's places are copied back into x. Each value of x thus receives its terms
     * in the order of the rows, starting from what x held, as {@link Patches#col2im} adds them,
     * so the bits are the same; the sums that land in the padding are dropped.
     *
     * @param g a geometry that {@link #applies}
     * @param cols the chunk's patch-matrix gradient, [patch, count·OH·OW]
     * @param n0 the chunk's first image
     * @param count the chunk's images
     * @param x receives the terms, added to what it holds
     * @param buffer at least {@link #bufferSize(ConvGeometry, int) bufferSize(g, count)} floats
     */
    static void col2im(ConvGeometry g, float[] cols, int n0, int count, float[] x, float[] buffer) {
        layOut(g, x, n0, count, buffer);
        int[] shift = shifts(g, count);
        int ld = count * g.outHeight() * g.outWidth();
        int whole = ld - ld % LANES;
        for (int row = 0; row < shift.length; row++) {
            int src = row * ld;
            int dst = shift[row];
            int j = 0;
            for (; j < whole; j += LANES) {
                FloatVector.fromArray(F, buffer, dst + j).add(FloatVector.fromArray(F, cols, src + j)).intoArray(buffer, dst + j);
            }
            for (; j < ld; j++) buffer[dst + j] += cols[src + j];
        }
        copyRows(g, x, n0, count, buffer, false);
    }
}
