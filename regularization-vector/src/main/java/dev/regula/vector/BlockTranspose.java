package dev.regula.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * In-register transposes of LANES×LANES float blocks, for packing a transposed operand of
 * {@link Gemm}: LANES row loads, log2(LANES) rounds that each swap the off-diagonal b×b
 * sub-blocks of every 2b×2b block (b = LANES/2, …, 2, 1), LANES stores: faster than one vector
 * gather per column (figures in docs/performance.md). Written out for 8 and 16 lanes because C2
 * keeps vectors in registers only as locals, not in arrays; other widths report
 * {@link #supported()} false and the caller gathers.
 *
 * <p>Round b pairs row i with row i + b (bit b of i clear). Where bit b of the lane index l is
 * set, the new row i takes lane l − b of row i + b, and elsewhere keeps its own lane; where bit b
 * is clear, the new row i + b takes lane l + b of row i, and elsewhere keeps its own. Each is one
 * single-source rearrange (lane l from lane l xor b, one shuffle per round) and one blend under
 * a constant mask. The Vector API's two-source rearrange would do either in one call, but it
 * builds that from two rearranges, a validity mask and a blend: the 16-lane method then took C2
 * 0.3–0.65 s to compile instead of 0.05–0.07 s (on a 2-core machine the one C2 thread is what
 * the first training steps wait for), and ran no faster (as fast with 16 lanes, a quarter slower
 * with 8). Two-vector {@code selectFrom} compiles as fast but ran 35–65 % slower.
 */
final class BlockTranspose {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = F.length();
    private static final VectorShuffle<Float> SWAP8 = swap(8), SWAP4 = swap(4), SWAP2 = swap(2), SWAP1 = swap(1);
    private static final VectorMask<Float> HIGH8 = high(8), HIGH4 = high(4), HIGH2 = high(2), HIGH1 = high(1);

    private BlockTranspose() {
    }

    /** The shuffle taking lane l from lane l xor b, or null when b is not below LANES. */
    private static VectorShuffle<Float> swap(int b) {
        if (b >= LANES) return null;
        int[] index = new int[LANES];
        for (int l = 0; l < LANES; l++) index[l] = l ^ b;
        return VectorShuffle.fromArray(F, index, 0);
    }

    /** The lanes whose bit b is set, or null when b is not below LANES. */
    private static VectorMask<Float> high(int b) {
        if (b >= LANES) return null;
        boolean[] set = new boolean[LANES];
        for (int l = 0; l < LANES; l++) set[l] = (l & b) != 0;
        return VectorMask.fromArray(F, set, 0);
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

    /** The 16×16 case: 16 loads, four rounds of 16 rearranges and 16 blends, 16 stores. */
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
        FloatVector a0 = r0.blend(r8.rearrange(SWAP8), HIGH8), a8 = r0.rearrange(SWAP8).blend(r8, HIGH8);
        FloatVector a1 = r1.blend(r9.rearrange(SWAP8), HIGH8), a9 = r1.rearrange(SWAP8).blend(r9, HIGH8);
        FloatVector a2 = r2.blend(r10.rearrange(SWAP8), HIGH8), a10 = r2.rearrange(SWAP8).blend(r10, HIGH8);
        FloatVector a3 = r3.blend(r11.rearrange(SWAP8), HIGH8), a11 = r3.rearrange(SWAP8).blend(r11, HIGH8);
        FloatVector a4 = r4.blend(r12.rearrange(SWAP8), HIGH8), a12 = r4.rearrange(SWAP8).blend(r12, HIGH8);
        FloatVector a5 = r5.blend(r13.rearrange(SWAP8), HIGH8), a13 = r5.rearrange(SWAP8).blend(r13, HIGH8);
        FloatVector a6 = r6.blend(r14.rearrange(SWAP8), HIGH8), a14 = r6.rearrange(SWAP8).blend(r14, HIGH8);
        FloatVector a7 = r7.blend(r15.rearrange(SWAP8), HIGH8), a15 = r7.rearrange(SWAP8).blend(r15, HIGH8);
        FloatVector b0 = a0.blend(a4.rearrange(SWAP4), HIGH4), b4 = a0.rearrange(SWAP4).blend(a4, HIGH4);
        FloatVector b1 = a1.blend(a5.rearrange(SWAP4), HIGH4), b5 = a1.rearrange(SWAP4).blend(a5, HIGH4);
        FloatVector b2 = a2.blend(a6.rearrange(SWAP4), HIGH4), b6 = a2.rearrange(SWAP4).blend(a6, HIGH4);
        FloatVector b3 = a3.blend(a7.rearrange(SWAP4), HIGH4), b7 = a3.rearrange(SWAP4).blend(a7, HIGH4);
        FloatVector b8 = a8.blend(a12.rearrange(SWAP4), HIGH4), b12 = a8.rearrange(SWAP4).blend(a12, HIGH4);
        FloatVector b9 = a9.blend(a13.rearrange(SWAP4), HIGH4), b13 = a9.rearrange(SWAP4).blend(a13, HIGH4);
        FloatVector b10 = a10.blend(a14.rearrange(SWAP4), HIGH4), b14 = a10.rearrange(SWAP4).blend(a14, HIGH4);
        FloatVector b11 = a11.blend(a15.rearrange(SWAP4), HIGH4), b15 = a11.rearrange(SWAP4).blend(a15, HIGH4);
        FloatVector c0 = b0.blend(b2.rearrange(SWAP2), HIGH2), c2 = b0.rearrange(SWAP2).blend(b2, HIGH2);
        FloatVector c1 = b1.blend(b3.rearrange(SWAP2), HIGH2), c3 = b1.rearrange(SWAP2).blend(b3, HIGH2);
        FloatVector c4 = b4.blend(b6.rearrange(SWAP2), HIGH2), c6 = b4.rearrange(SWAP2).blend(b6, HIGH2);
        FloatVector c5 = b5.blend(b7.rearrange(SWAP2), HIGH2), c7 = b5.rearrange(SWAP2).blend(b7, HIGH2);
        FloatVector c8 = b8.blend(b10.rearrange(SWAP2), HIGH2), c10 = b8.rearrange(SWAP2).blend(b10, HIGH2);
        FloatVector c9 = b9.blend(b11.rearrange(SWAP2), HIGH2), c11 = b9.rearrange(SWAP2).blend(b11, HIGH2);
        FloatVector c12 = b12.blend(b14.rearrange(SWAP2), HIGH2), c14 = b12.rearrange(SWAP2).blend(b14, HIGH2);
        FloatVector c13 = b13.blend(b15.rearrange(SWAP2), HIGH2), c15 = b13.rearrange(SWAP2).blend(b15, HIGH2);
        c0.blend(c1.rearrange(SWAP1), HIGH1).intoArray(dst, dstOff + 0 * dstStride);
        c0.rearrange(SWAP1).blend(c1, HIGH1).intoArray(dst, dstOff + 1 * dstStride);
        c2.blend(c3.rearrange(SWAP1), HIGH1).intoArray(dst, dstOff + 2 * dstStride);
        c2.rearrange(SWAP1).blend(c3, HIGH1).intoArray(dst, dstOff + 3 * dstStride);
        c4.blend(c5.rearrange(SWAP1), HIGH1).intoArray(dst, dstOff + 4 * dstStride);
        c4.rearrange(SWAP1).blend(c5, HIGH1).intoArray(dst, dstOff + 5 * dstStride);
        c6.blend(c7.rearrange(SWAP1), HIGH1).intoArray(dst, dstOff + 6 * dstStride);
        c6.rearrange(SWAP1).blend(c7, HIGH1).intoArray(dst, dstOff + 7 * dstStride);
        c8.blend(c9.rearrange(SWAP1), HIGH1).intoArray(dst, dstOff + 8 * dstStride);
        c8.rearrange(SWAP1).blend(c9, HIGH1).intoArray(dst, dstOff + 9 * dstStride);
        c10.blend(c11.rearrange(SWAP1), HIGH1).intoArray(dst, dstOff + 10 * dstStride);
        c10.rearrange(SWAP1).blend(c11, HIGH1).intoArray(dst, dstOff + 11 * dstStride);
        c12.blend(c13.rearrange(SWAP1), HIGH1).intoArray(dst, dstOff + 12 * dstStride);
        c12.rearrange(SWAP1).blend(c13, HIGH1).intoArray(dst, dstOff + 13 * dstStride);
        c14.blend(c15.rearrange(SWAP1), HIGH1).intoArray(dst, dstOff + 14 * dstStride);
        c14.rearrange(SWAP1).blend(c15, HIGH1).intoArray(dst, dstOff + 15 * dstStride);
    }

    /** The 8×8 case: 8 loads, three rounds of 8 rearranges and 8 blends, 8 stores. */
    private static void transpose8(float[] src, int srcOff, int ld, float[] dst, int dstOff, int dstStride) {
        FloatVector r0 = FloatVector.fromArray(F, src, srcOff + 0 * ld);
        FloatVector r1 = FloatVector.fromArray(F, src, srcOff + 1 * ld);
        FloatVector r2 = FloatVector.fromArray(F, src, srcOff + 2 * ld);
        FloatVector r3 = FloatVector.fromArray(F, src, srcOff + 3 * ld);
        FloatVector r4 = FloatVector.fromArray(F, src, srcOff + 4 * ld);
        FloatVector r5 = FloatVector.fromArray(F, src, srcOff + 5 * ld);
        FloatVector r6 = FloatVector.fromArray(F, src, srcOff + 6 * ld);
        FloatVector r7 = FloatVector.fromArray(F, src, srcOff + 7 * ld);
        FloatVector a0 = r0.blend(r4.rearrange(SWAP4), HIGH4), a4 = r0.rearrange(SWAP4).blend(r4, HIGH4);
        FloatVector a1 = r1.blend(r5.rearrange(SWAP4), HIGH4), a5 = r1.rearrange(SWAP4).blend(r5, HIGH4);
        FloatVector a2 = r2.blend(r6.rearrange(SWAP4), HIGH4), a6 = r2.rearrange(SWAP4).blend(r6, HIGH4);
        FloatVector a3 = r3.blend(r7.rearrange(SWAP4), HIGH4), a7 = r3.rearrange(SWAP4).blend(r7, HIGH4);
        FloatVector b0 = a0.blend(a2.rearrange(SWAP2), HIGH2), b2 = a0.rearrange(SWAP2).blend(a2, HIGH2);
        FloatVector b1 = a1.blend(a3.rearrange(SWAP2), HIGH2), b3 = a1.rearrange(SWAP2).blend(a3, HIGH2);
        FloatVector b4 = a4.blend(a6.rearrange(SWAP2), HIGH2), b6 = a4.rearrange(SWAP2).blend(a6, HIGH2);
        FloatVector b5 = a5.blend(a7.rearrange(SWAP2), HIGH2), b7 = a5.rearrange(SWAP2).blend(a7, HIGH2);
        b0.blend(b1.rearrange(SWAP1), HIGH1).intoArray(dst, dstOff + 0 * dstStride);
        b0.rearrange(SWAP1).blend(b1, HIGH1).intoArray(dst, dstOff + 1 * dstStride);
        b2.blend(b3.rearrange(SWAP1), HIGH1).intoArray(dst, dstOff + 2 * dstStride);
        b2.rearrange(SWAP1).blend(b3, HIGH1).intoArray(dst, dstOff + 3 * dstStride);
        b4.blend(b5.rearrange(SWAP1), HIGH1).intoArray(dst, dstOff + 4 * dstStride);
        b4.rearrange(SWAP1).blend(b5, HIGH1).intoArray(dst, dstOff + 5 * dstStride);
        b6.blend(b7.rearrange(SWAP1), HIGH1).intoArray(dst, dstOff + 6 * dstStride);
        b6.rearrange(SWAP1).blend(b7, HIGH1).intoArray(dst, dstOff + 7 * dstStride);
    }
}
