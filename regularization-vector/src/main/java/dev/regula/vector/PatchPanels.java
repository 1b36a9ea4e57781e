package dev.regula.vector;

import dev.regula.api.kernels.ConvGeometry;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A chunk's patch matrix ({@link Patches}) unfolded straight into the panels a product reads
 * ({@link Gemm.Panels}), instead of being written out whole by {@link Patches#im2col} and then
 * copied once more into panels by the product's packing.
 *
 * <p>It applies where every patch row is a shifted phase plane ({@link Patches#phasePlanes}: at
 * stride 1 a same-size output, at stride s sides that are multiples of s) and the output plane is a
 * whole number of vectors, so that a vector of a panel row covers output positions of one image.
 * Such a vector is then one load from the image's phase planes, shifted by the row's (qy, qx),
 * with the lanes whose input lies in the padding set to 0 by a mask chosen by the shift and the
 * position in the plane. The chunk's images are first moved into phase planes (copied at stride
 * 1), with a margin before and after, so that every shifted load stays inside the buffer. The
 * values are those {@link Patches#im2col} writes, bit for bit, so a product on these panels equals
 * the one on the stored patch matrix.
 */
final class PatchPanels implements Gemm.Panels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final int LANES = F.length();

    private final Layout layout;
    private final float[] phases;

    /**
     * Moves images [n0, n0 + count) of {@code x} into their phase planes in {@code buffer}.
     *
     * @param layout the geometry's layout
     * @param x the input batch
     * @param n0 the chunk's first image
     * @param count the chunk's images
     * @param buffer at least {@link Layout#bufferSize(int) layout.bufferSize(count)} floats
     */
    PatchPanels(Layout layout, float[] x, int n0, int count, float[] buffer) {
        this.layout = layout;
        this.phases = buffer;
        ConvGeometry g = layout.geometry();
        int size = layout.imageSize();
        for (int n = 0; n < count; n++) {
            int to = layout.margin() + n * size;
            if (g.stride() == 1) {
                System.arraycopy(x, (n0 + n) * size, buffer, to, size);
            } else {
                layout.phases().split(x, (n0 + n) * size, g.inChannels(), buffer, to);
            }
        }
    }

    /**
     * {@link Patches#col2im} at a stride above 1 by the same masks: per image, each patch row's
     * values are added to its shifted phase plane a vector at a time, the lanes in the padding
     * cleared to +0 first, into sums that start from +0 (which therefore never become −0, so adding
     * +0 to a sum changes no bit), and the sums are then added to x; every value receives its terms
     * in the order of the rows, as {@link Patches#col2im} adds them, so the bits are the same.
     *
     * @param layout the geometry's layout; its stride must be above 1
     * @param cols the chunk's patch-matrix gradient, [patch, count·OH·OW]
     * @param n0 the chunk's first image
     * @param count the chunk's images
     * @param x receives the sums, added to what it holds
     * @param buffer at least {@link Layout#bufferSize(int) layout.bufferSize(1)} floats
     */
    static void col2im(Layout layout, float[] cols, int n0, int count, float[] x, float[] buffer) {
        ConvGeometry g = layout.geometry();
        int outPlane = g.outHeight() * g.outWidth();
        int ld = count * outPlane;
        int size = layout.imageSize();
        int[] rowOffset = layout.rowOffset();
        int[] maskOffset = layout.maskOffset();
        int[] masks = layout.masks();
        for (int n = 0; n < count; n++) {
            Arrays.fill(buffer, 0, layout.bufferSize(1), 0f);
            for (int row = 0; row < rowOffset.length; row++) {
                int src = row * ld + n * outPlane;
                int dst = layout.margin() + rowOffset[row];
                int mask = maskOffset[row];
                for (int f = 0; f < outPlane; f += LANES) {
                    FloatVector terms = masked(cols, src + f, masks, mask + f);
                    FloatVector.fromArray(F, buffer, dst + f).add(terms).intoArray(buffer, dst + f);
                }
            }
            layout.phases().addBack(buffer, layout.margin(), g.inChannels(), x, (n0 + n) * size);
        }
    }

    /**
     * @return the vector of {@code values} at {@code at} with the lanes whose mask at
     *     {@code maskAt} is 0 set to +0 (a bitwise AND, so no value's bits change otherwise)
     */
    private static FloatVector masked(float[] values, int at, int[] masks, int maskAt) {
        return FloatVector.fromArray(F, values, at).reinterpretAsInts()
                .and(IntVector.fromArray(I, masks, maskAt)).reinterpretAsFloats();
    }

    /**
     * @param g a geometry
     * @return whether its patch matrix can be unfolded into panels this way
     */
    static boolean applies(ConvGeometry g) {
        return Patches.phasePlanes(g) && g.outHeight() * g.outWidth() % LANES == 0;
    }

    @Override
    public void pack(int pc, int kc, int jc, int nc, float[] dst) {
        int outPlane = layout.geometry().outHeight() * layout.geometry().outWidth();
        int[] rowOffset = layout.rowOffset();
        int[] maskOffset = layout.maskOffset();
        int[] masks = layout.masks();
        FloatVector zero = FloatVector.zero(F);
        for (int jr = 0; jr < nc; jr += Gemm.NR) {
            int base = jr * kc;
            // nc and every strip start are multiples of LANES, so each half is all in or all past nc
            boolean second = jr + LANES < nc;
            int j0 = jc + jr;
            int j1 = j0 + LANES;
            int image0 = layout.margin() + j0 / outPlane * layout.imageSize() + j0 % outPlane;
            int image1 = layout.margin() + j1 / outPlane * layout.imageSize() + j1 % outPlane;
            int f0 = j0 % outPlane;
            int f1 = j1 % outPlane;
            for (int p = 0, d = base; p < kc; p++, d += Gemm.NR) {
                int row = pc + p;
                int shift = rowOffset[row];
                int mask = maskOffset[row];
                masked(phases, image0 + shift, masks, mask + f0).intoArray(dst, d);
                if (second) {
                    masked(phases, image1 + shift, masks, mask + f1).intoArray(dst, d + LANES);
                } else {
                    zero.intoArray(dst, d + LANES);
                }
            }
        }
    }

    /**
     * @return panels of the transposed patch matrix (inner index: the chunk's output positions;
     *     columns: the patch rows), the operand B of the weight gradient gy·colsᵀ: each block of
     *     LANES patch rows × LANES positions is unfolded as in {@link #pack} into a small buffer
     *     and transposed in registers ({@link BlockTranspose}); a block count of positions must
     *     be a multiple of LANES, as every inner block of a product on these panels is
     */
    Gemm.Panels transposed() {
        return (pc, kc, jc, nc, dst) -> {
            int outPlane = layout.geometry().outHeight() * layout.geometry().outWidth();
            int[] rowOffset = layout.rowOffset();
            int[] maskOffset = layout.maskOffset();
            int[] masks = layout.masks();
            float[] block = new float[LANES * LANES];
            FloatVector zero = FloatVector.zero(F);
            for (int jr = 0; jr < nc; jr += Gemm.NR) {
                int base = jr * kc;
                for (int h = 0; h < Gemm.NR; h += LANES) {
                    int rows = Math.max(0, Math.min(LANES, nc - jr - h)); // patch rows of this half inside the block
                    for (int p = 0; p < kc; p += LANES) {
                        int j = pc + p;
                        int image = layout.margin() + j / outPlane * layout.imageSize() + j % outPlane;
                        int f = j % outPlane;
                        for (int r = 0; r < LANES; r++) {
                            if (r < rows) {
                                int row = jc + jr + h + r;
                                masked(phases, image + rowOffset[row], masks, maskOffset[row] + f).intoArray(block, r * LANES);
                            } else {
                                zero.intoArray(block, r * LANES);
                            }
                        }
                        BlockTranspose.transpose(block, 0, LANES, dst, base + p * Gemm.NR + h, Gemm.NR);
                    }
                }
            }
        };
    }

    /**
     * @param g a geometry that {@link #applies}
     * @return whether {@link #transposed} panels can be made on this machine (in-register transposes)
     */
    static boolean transposes(ConvGeometry g) {
        return applies(g) && BlockTranspose.supported();
    }

    /**
     * Where each patch row reads and which of its values lie in the padding, for one geometry
     * (independent of the batch), shared read-only by the threads of a call.
     *
     * @param geometry the convolution
     * @param rowOffset per patch row (c, ki, kj): where the value of output position 0 is read,
     *     relative to the start of its image's phase planes (may be negative)
     * @param maskOffset per patch row: the start of its shift's masks in {@code masks}
     * @param masks per shift (qy, qx) and output position: −1 (all bits) where the input lies
     *     inside the image, 0 in the padding
     * @param margin floats before (and after) the chunk's phase planes in the buffer, at least the
     *     largest |shift|
     * @param imageSize floats of one image's phase planes (its channels × height × width)
     * @param phases the split of an image into its phase planes and back; null at stride 1
     */
    record Layout(ConvGeometry geometry, int[] rowOffset, int[] maskOffset, int[] masks, int margin, int imageSize,
                  PhasePlanes phases) {
        /**
         * @param g a geometry that {@link #applies}
         * @return its layout
         */
        static Layout of(ConvGeometry g) {
            int outH = g.outHeight();
            int outW = g.outWidth();
            int outPlane = outH * outW;
            Patches.PlaneRow[] rows = Patches.PlaneRow.all(g);
            int qyMin = Integer.MAX_VALUE, qyMax = Integer.MIN_VALUE, qxMin = Integer.MAX_VALUE, qxMax = Integer.MIN_VALUE;
            for (Patches.PlaneRow r : rows) {
                qyMin = Math.min(qyMin, r.qy());
                qyMax = Math.max(qyMax, r.qy());
                qxMin = Math.min(qxMin, r.qx());
                qxMax = Math.max(qxMax, r.qx());
            }
            int shiftsX = qxMax - qxMin + 1;
            int[] masks = new int[(qyMax - qyMin + 1) * shiftsX * outPlane];
            for (int qy = qyMin; qy <= qyMax; qy++) {
                for (int qx = qxMin; qx <= qxMax; qx++) {
                    int at = ((qy - qyMin) * shiftsX + qx - qxMin) * outPlane;
                    for (int oy = 0; oy < outH; oy++) {
                        for (int ox = 0; ox < outW; ox++) {
                            boolean inside = oy + qy >= 0 && oy + qy < outH && ox + qx >= 0 && ox + qx < outW;
                            masks[at + oy * outW + ox] = inside ? -1 : 0;
                        }
                    }
                }
            }
            int[] rowOffset = new int[rows.length];
            int[] maskOffset = new int[rows.length];
            int margin = 0;
            for (int i = 0; i < rows.length; i++) {
                Patches.PlaneRow r = rows[i];
                rowOffset[i] = r.plane() + r.qy() * outW + r.qx();
                maskOffset[i] = ((r.qy() - qyMin) * shiftsX + r.qx() - qxMin) * outPlane;
                margin = Math.max(margin, Math.abs(r.qy() * outW + r.qx()));
            }
            PhasePlanes phases = PhasePlanes.of(g);
            return new Layout(g, rowOffset, maskOffset, masks, margin, g.inChannels() * g.height() * g.width(), phases);
        }

        /**
         * @param count images of a chunk
         * @return floats of the buffer its phase planes need, margins included
         */
        int bufferSize(int count) {
            return 2 * margin + count * imageSize;
        }
    }
}
