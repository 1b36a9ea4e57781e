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
}
