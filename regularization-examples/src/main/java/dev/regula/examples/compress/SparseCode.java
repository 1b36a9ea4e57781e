package dev.regula.examples.compress;

import java.util.Arrays;

/**
 * The storage of one quantised weight tensor as the paper counts it (Ullrich, Meeds &amp; Welling
 * 2017, after Han et al.'s Deep Compression): the non-zero weights in row-major order, each as a
 * code (the index of its component's mean in a shared codebook, {@code codeBits} bits) and the
 * distance from the previous stored entry ({@code indexBits} bits, a relative index); a gap longer
 * than 2^indexBits − 1 is bridged by a filler entry with code 0 (the pruned zero component).
 *
 * @param codes the stored codes, fillers included (0 = filler)
 * @param gaps per stored entry, positions skipped since the previous entry (0 ≤ gap &lt; 2^indexBits)
 * @param indexBits bits per relative index
 * @param codeBits bits per code
 * @param nonZero the non-zero weights
 * @param size the tensor's element count
 */
public record SparseCode(int[] codes, int[] gaps, int indexBits, int codeBits, int nonZero, int size) {
    /** Largest relative-index width tried. */
    public static final int MAX_INDEX_BITS = 16;

    /** @return the bits of the entries: (indexBits + codeBits) per stored entry */
    public long bits() {
        return (long) codes.length * (indexBits + codeBits);
    }

    /**
     * Encodes with the relative-index width (1 to {@value #MAX_INDEX_BITS}) that needs the fewest bits.
     *
     * @param assignment per weight its component, 0 for the pruned zero component
     * @param components the codebook size K (codes 0..K−1)
     * @return the cheapest encoding
     * @throws IllegalArgumentException if K &lt; 2 or a code is outside [0, K)
     */
    public static SparseCode encode(int[] assignment, int components) {
        if (components < 2) throw new IllegalArgumentException("components must be >= 2, got " + components);
        for (int a : assignment) {
            if (a < 0 || a >= components) throw new IllegalArgumentException("code " + a + " outside [0, " + components + ")");
        }
        int codeBits = 32 - Integer.numberOfLeadingZeros(components - 1);
        SparseCode best = null;
        for (int b = 1; b <= MAX_INDEX_BITS; b++) {
            SparseCode c = encode(assignment, codeBits, b);
            if (best == null || c.bits() < best.bits()) best = c;
        }
        return best;
    }

    static SparseCode encode(int[] assignment, int codeBits, int indexBits) {
        int maxGap = (1 << indexBits) - 1;
        int[] codes = new int[16];
        int[] gaps = new int[16];
        int n = 0;
        int nonZero = 0;
        int gap = 0;
        for (int a : assignment) {
            if (a == 0) {
                gap++;
                continue;
            }
            while (gap > maxGap) { // a filler entry (code 0) bridges the longest gap the index can hold
                if (n == codes.length) {
                    codes = Arrays.copyOf(codes, 2 * n);
                    gaps = Arrays.copyOf(gaps, 2 * n);
                }
                codes[n] = 0;
                gaps[n++] = maxGap;
                gap -= maxGap + 1;
            }
            if (n == codes.length) {
                codes = Arrays.copyOf(codes, 2 * n);
                gaps = Arrays.copyOf(gaps, 2 * n);
            }
            codes[n] = a;
            gaps[n++] = gap;
            gap = 0;
            nonZero++;
        }
        return new SparseCode(Arrays.copyOf(codes, n), Arrays.copyOf(gaps, n), indexBits, codeBits, nonZero, assignment.length);
    }

    /**
     * @param codebook the component means, code 0 being 0
     * @return the dense weights this encodes (for checking a round trip)
     */
    public float[] decode(float[] codebook) {
        float[] w = new float[size];
        int pos = -1;
        for (int i = 0; i < codes.length; i++) {
            pos += gaps[i] + 1;
            if (codes[i] != 0) w[pos] = codebook[codes[i]];
        }
        return w;
    }

    /**
     * The entries as a bit stream, as the compressed file stores them: per entry its gap
     * ({@code indexBits} bits) then its code ({@code codeBits} bits), least significant bit first,
     * the last byte padded with zeros; ⌈{@link #bits()} / 8⌉ bytes.
     *
     * @return the packed entries
     */
    public byte[] pack() {
        byte[] out = new byte[(int) ((bits() + 7) / 8)];
        long at = 0;
        for (int i = 0; i < codes.length; i++) {
            at = put(out, at, gaps[i], indexBits);
            at = put(out, at, codes[i], codeBits);
        }
        return out;
    }

    /**
     * Reads entries written by {@link #pack()}.
     *
     * @param packed the bit stream
     * @param entries the number of stored entries, fillers included
     * @param indexBits bits per relative index, 1 to {@value #MAX_INDEX_BITS}
     * @param codeBits bits per code, 1 to 16
     * @param size the tensor's element count
     * @return the code
     * @throws IllegalArgumentException if the widths are out of range, the stream is shorter than
     *     the entries need, or the entries run past {@code size}
     */
    public static SparseCode unpack(byte[] packed, int entries, int indexBits, int codeBits, int size) {
        if (indexBits < 1 || indexBits > MAX_INDEX_BITS || codeBits < 1 || codeBits > 16 || entries < 0 || size < 0) {
            throw new IllegalArgumentException("bad sparse code header: entries " + entries + ", index bits " + indexBits
                    + " (1 to " + MAX_INDEX_BITS + "), code bits " + codeBits + " (1 to 16), size " + size);
        }
        long need = (long) entries * (indexBits + codeBits);
        if (packed.length != (need + 7) / 8) {
            throw new IllegalArgumentException(entries + " entries of " + (indexBits + codeBits) + " bits need " + (need + 7) / 8
                    + " bytes, found " + packed.length);
        }
        int[] codes = new int[entries];
        int[] gaps = new int[entries];
        long at = 0;
        long pos = -1;
        int nonZero = 0;
        for (int i = 0; i < entries; i++) {
            gaps[i] = get(packed, at, indexBits);
            at += indexBits;
            codes[i] = get(packed, at, codeBits);
            at += codeBits;
            pos += gaps[i] + 1L;
            if (pos >= size) throw new IllegalArgumentException("entry " + i + " lands at position " + pos + " of a tensor of " + size);
            if (codes[i] != 0) nonZero++;
        }
        return new SparseCode(codes, gaps, indexBits, codeBits, nonZero, size);
    }

    private static long put(byte[] out, long at, int value, int bits) {
        for (int b = 0; b < bits; b++, at++) {
            if ((value >>> b & 1) != 0) out[(int) (at >>> 3)] |= (byte) (1 << (at & 7));
        }
        return at;
    }

    private static int get(byte[] in, long at, int bits) {
        int v = 0;
        for (int b = 0; b < bits; b++, at++) v |= (in[(int) (at >>> 3)] >>> (at & 7) & 1) << b;
        return v;
    }
}
