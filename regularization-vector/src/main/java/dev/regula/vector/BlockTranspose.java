package dev.regula.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * In-register transposes of LANES×LANES float blocks, for packing a transposed operand of
 * {@link Gemm}: LANES row loads, log2(LANES) rounds of two-source rearranges (round b swaps the
 * off-diagonal b×b sub-blocks of every 2b×2b block), LANES stores: faster than one vector gather
 * per column (figures in docs/performance.md). Written out for 8 and 16 lanes because C2 keeps
 * vectors in registers only as locals, not in arrays; other widths report {@link #supported()}
 * false and the caller gathers.
 */
final class BlockTranspose {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = F.length();
    private static final VectorShuffle<Float> LO8 = select(8, true), HI8 = select(8, false);
    private static final VectorShuffle<Float> LO4 = select(4, true), HI4 = select(4, false);
    private static final VectorShuffle<Float> LO2 = select(2, true), HI2 = select(2, false);
    private static final VectorShuffle<Float> LO1 = select(1, true), HI1 = select(1, false);

    private BlockTranspose() {
    }

    /**
     * The two-source shuffle of round b over (row i, row i + b), indices of the second row counted
     * from LANES: lane l of the new row i is row i's lane l on the left of each 2b group and row
     * (i + b)'s lane l − b on the right; the new row i + b takes the remaining lanes. Null when b
     * is not below LANES.
     */
    private static VectorShuffle<Float> select(int b, boolean low) {
        if (b >= LANES) return null;
        int[] index = new int[LANES];
        for (int l = 0; l < LANES; l++) {
            boolean left = (l & b) == 0;
            index[l] = low ? (left ? l : LANES + l - b) : (left ? l + b : LANES + l);
        }
        return VectorShuffle.fromArray(F, index, 0);
    }

    /** @return whether {@link #transpose} handles this machine's vector width (8 or 16 floats) */
    static boolean supported() {
        return LANES == 8 || LANES == 16;
    }

    /**
     * dst[dstOff + j·dstStride + i] = src[srcOff + i·ld + j] for i, j in [0, LANES).
     *
     * @param src the block's first row at srcOff, rows ld apart
     * @param dst receives the block's columns as rows, dstStride apart
     */
    static void transpose(float[] src, int srcOff, int ld, float[] dst, int dstOff, int dstStride) {
        if (LANES == 16) {
            transpose16(src, srcOff, ld, dst, dstOff, dstStride);
        } else if (LANES == 8) {
            transpose8(src, srcOff, ld, dst, dstOff, dstStride);
        } else {
            throw new UnsupportedOperationException("no block transpose for " + LANES + " lanes; check supported() first");
        }
    }

    /** The 16×16 case: 16 loads, 64 two-source rearranges, 16 stores. */
    private static void transpose16(float[] src, int srcOff, int ld, float[] dst, int dstOff, int dstStride) {
        FloatVector r0 = FloatVector.fromArray(F, src, srcOff + 0 * ld);
        FloatVector r1 = FloatVector.fromArray(F, src, srcOff + 1 * ld);
        FloatVector r2 = FloatVector.fromArray(F, src, srcOff + 2 * ld);
        FloatVector r3 = FloatVector.fromArray(F, src, srcOff + 3 * ld);
        FloatVector r4 = FloatVector.fromArray(F, src, srcOff + 4 * ld);
        FloatVector r5 = FloatVector.fromArray(F, src, srcOff + 5 * ld);
        FloatVector r6 = FloatVector.fromArray(F, src, srcOff + 6 * ld);
        FloatVector r7 = FloatVector.fromArray(F, src, srcOff + 7 * ld);
        FloatVector r8 = FloatVector.fromArray(F, src, srcOff + 8 * ld);
        FloatVector r9 = FloatVector.fromArray(F, src, srcOff + 9 * ld);
        FloatVector r10 = FloatVector.fromArray(F, src, srcOff + 10 * ld);
        FloatVector r11 = FloatVector.fromArray(F, src, srcOff + 11 * ld);
        FloatVector r12 = FloatVector.fromArray(F, src, srcOff + 12 * ld);
        FloatVector r13 = FloatVector.fromArray(F, src, srcOff + 13 * ld);
        FloatVector r14 = FloatVector.fromArray(F, src, srcOff + 14 * ld);
        FloatVector r15 = FloatVector.fromArray(F, src, srcOff + 15 * ld);
        FloatVector a0 = r0.rearrange(LO8, r8), a8 = r0.rearrange(HI8, r8);
        FloatVector a1 = r1.rearrange(LO8, r9), a9 = r1.rearrange(HI8, r9);
        FloatVector a2 = r2.rearrange(LO8, r10), a10 = r2.rearrange(HI8, r10);
        FloatVector a3 = r3.rearrange(LO8, r11), a11 = r3.rearrange(HI8, r11);
        FloatVector a4 = r4.rearrange(LO8, r12), a12 = r4.rearrange(HI8, r12);
        FloatVector a5 = r5.rearrange(LO8, r13), a13 = r5.rearrange(HI8, r13);
        FloatVector a6 = r6.rearrange(LO8, r14), a14 = r6.rearrange(HI8, r14);
        FloatVector a7 = r7.rearrange(LO8, r15), a15 = r7.rearrange(HI8, r15);
        FloatVector b0 = a0.rearrange(LO4, a4), b4 = a0.rearrange(HI4, a4);
        FloatVector b1 = a1.rearrange(LO4, a5), b5 = a1.rearrange(HI4, a5);
        FloatVector b2 = a2.rearrange(LO4, a6), b6 = a2.rearrange(HI4, a6);
        FloatVector b3 = a3.rearrange(LO4, a7), b7 = a3.rearrange(HI4, a7);
        FloatVector b8 = a8.rearrange(LO4, a12), b12 = a8.rearrange(HI4, a12);
        FloatVector b9 = a9.rearrange(LO4, a13), b13 = a9.rearrange(HI4, a13);
        FloatVector b10 = a10.rearrange(LO4, a14), b14 = a10.rearrange(HI4, a14);
        FloatVector b11 = a11.rearrange(LO4, a15), b15 = a11.rearrange(HI4, a15);
        FloatVector c0 = b0.rearrange(LO2, b2), c2 = b0.rearrange(HI2, b2);
        FloatVector c1 = b1.rearrange(LO2, b3), c3 = b1.rearrange(HI2, b3);
        FloatVector c4 = b4.rearrange(LO2, b6), c6 = b4.rearrange(HI2, b6);
        FloatVector c5 = b5.rearrange(LO2, b7), c7 = b5.rearrange(HI2, b7);
        FloatVector c8 = b8.rearrange(LO2, b10), c10 = b8.rearrange(HI2, b10);
        FloatVector c9 = b9.rearrange(LO2, b11), c11 = b9.rearrange(HI2, b11);
        FloatVector c12 = b12.rearrange(LO2, b14), c14 = b12.rearrange(HI2, b14);
        FloatVector c13 = b13.rearrange(LO2, b15), c15 = b13.rearrange(HI2, b15);
        c0.rearrange(LO1, c1).intoArray(dst, dstOff + 0 * dstStride);
        c0.rearrange(HI1, c1).intoArray(dst, dstOff + 1 * dstStride);
        c2.rearrange(LO1, c3).intoArray(dst, dstOff + 2 * dstStride);
        c2.rearrange(HI1, c3).intoArray(dst, dstOff + 3 * dstStride);
        c4.rearrange(LO1, c5).intoArray(dst, dstOff + 4 * dstStride);
        c4.rearrange(HI1, c5).intoArray(dst, dstOff + 5 * dstStride);
        c6.rearrange(LO1, c7).intoArray(dst, dstOff + 6 * dstStride);
        c6.rearrange(HI1, c7).intoArray(dst, dstOff + 7 * dstStride);
        c8.rearrange(LO1, c9).intoArray(dst, dstOff + 8 * dstStride);
        c8.rearrange(HI1, c9).intoArray(dst, dstOff + 9 * dstStride);
        c10.rearrange(LO1, c11).intoArray(dst, dstOff + 10 * dstStride);
        c10.rearrange(HI1, c11).intoArray(dst, dstOff + 11 * dstStride);
        c12.rearrange(LO1, c13).intoArray(dst, dstOff + 12 * dstStride);
        c12.rearrange(HI1, c13).intoArray(dst, dstOff + 13 * dstStride);
        c14.rearrange(LO1, c15).intoArray(dst, dstOff + 14 * dstStride);
        c14.rearrange(HI1, c15).intoArray(dst, dstOff + 15 * dstStride);
    }

    /** The 8×8 case: 8 loads, 24 two-source rearranges, 8 stores. */
    private static void transpose8(float[] src, int srcOff, int ld, float[] dst, int dstOff, int dstStride) {
        FloatVector r0 = FloatVector.fromArray(F, src, srcOff + 0 * ld);
        FloatVector r1 = FloatVector.fromArray(F, src, srcOff + 1 * ld);
        FloatVector r2 = FloatVector.fromArray(F, src, srcOff + 2 * ld);
        FloatVector r3 = FloatVector.fromArray(F, src, srcOff + 3 * ld);
        FloatVector r4 = FloatVector.fromArray(F, src, srcOff + 4 * ld);
        FloatVector r5 = FloatVector.fromArray(F, src, srcOff + 5 * ld);
        FloatVector r6 = FloatVector.fromArray(F, src, srcOff + 6 * ld);
        FloatVector r7 = FloatVector.fromArray(F, src, srcOff + 7 * ld);
        FloatVector a0 = r0.rearrange(LO4, r4), a4 = r0.rearrange(HI4, r4);
        FloatVector a1 = r1.rearrange(LO4, r5), a5 = r1.rearrange(HI4, r5);
        FloatVector a2 = r2.rearrange(LO4, r6), a6 = r2.rearrange(HI4, r6);
        FloatVector a3 = r3.rearrange(LO4, r7), a7 = r3.rearrange(HI4, r7);
        FloatVector b0 = a0.rearrange(LO2, a2), b2 = a0.rearrange(HI2, a2);
        FloatVector b1 = a1.rearrange(LO2, a3), b3 = a1.rearrange(HI2, a3);
        FloatVector b4 = a4.rearrange(LO2, a6), b6 = a4.rearrange(HI2, a6);
        FloatVector b5 = a5.rearrange(LO2, a7), b7 = a5.rearrange(HI2, a7);
        b0.rearrange(LO1, b1).intoArray(dst, dstOff + 0 * dstStride);
        b0.rearrange(HI1, b1).intoArray(dst, dstOff + 1 * dstStride);
        b2.rearrange(LO1, b3).intoArray(dst, dstOff + 2 * dstStride);
        b2.rearrange(HI1, b3).intoArray(dst, dstOff + 3 * dstStride);
        b4.rearrange(LO1, b5).intoArray(dst, dstOff + 4 * dstStride);
        b4.rearrange(HI1, b5).intoArray(dst, dstOff + 5 * dstStride);
        b6.rearrange(LO1, b7).intoArray(dst, dstOff + 6 * dstStride);
        b6.rearrange(HI1, b7).intoArray(dst, dstOff + 7 * dstStride);
    }
}
