package dev.regula.examples.compress;

import java.util.List;

/**
 * The rule behind {@code regula compress --target-ratio R}: after retraining, the zero
 * component's log π is raised (or lowered) by δ nats in the assignment (so more or fewer weights
 * are pruned) with δ the smallest value, found by bisection, whose compression by the bits is at
 * least R. Raising δ only moves weights from other components to component 0, never back, so the
 * non-zero count falls monotonically with δ; the bit count follows it (up to a few bits where the
 * best relative-index width changes), and the bisection keeps to the side that meets R.
 *
 * <p>The count is the command's: the weights go to their components, the components in use are
 * renumbered (0 stays 0) into codes of ⌈log₂ K⌉ bits ({@link SparseCode#encode}), each weight
 * tensor adds a codebook of K 32-bit values, every other parameter is dense at 32 bits.
 */
public final class RatioTarget {
    /** δ is searched in [−{@value #RANGE}, {@value #RANGE}] nats. */
    public static final double RANGE = 60;
    private static final int STEPS = 40;

    private RatioTarget() {
    }

    /**
     * The outcome of the search.
     *
     * @param delta δ, nats added to log π_0 in the assignment
     * @param ratio the compression by the bits at δ
     * @param mixture the mixture with log π_0 + δ, to quantise with
     * @param reached whether the ratio is at least the target (false only if pruning at δ = RANGE still falls short)
     */
    public record Choice(double delta, double ratio, MixtureQuantizer mixture, boolean reached) {
    }

    /**
     * @param mixture the learned (possibly merged) mixture
     * @param weights the weight tensors' values, quantised as the command does
     * @param otherParams the number of the other (dense, 32-bit) parameters
     * @param target the compression to reach, &gt; 1
     * @return the smallest δ (to 2^−40 of the range) whose compression is at least the target
     * @throws IllegalArgumentException if the target is not a finite number &gt; 1
     */
    public static Choice choose(MixtureQuantizer mixture, List<float[]> weights, long otherParams, double target) {
        if (!(target > 1) || Double.isInfinite(target)) {
            throw new IllegalArgumentException("target compression must be a finite number > 1, got " + target);
        }
        MixtureQuantizer low = mixture.withZeroBias(-RANGE);
        double lowRatio = ratio(low, weights, otherParams);
        if (lowRatio >= target) return new Choice(-RANGE, lowRatio, low, true);
        MixtureQuantizer high = mixture.withZeroBias(RANGE);
        double highRatio = ratio(high, weights, otherParams);
        if (highRatio < target) return new Choice(RANGE, highRatio, high, false);
        double lo = -RANGE;
        double hi = RANGE;
        for (int s = 0; s < STEPS; s++) { // invariant: ratio(lo) < target <= ratio(hi)
            double mid = 0.5 * (lo + hi);
            MixtureQuantizer m = mixture.withZeroBias(mid);
            double r = ratio(m, weights, otherParams);
            if (r >= target) {
                hi = mid;
                high = m;
                highRatio = r;
            } else {
                lo = mid;
            }
        }
        return new Choice(hi, highRatio, high, true);
    }

    /**
     * The compression by the bits of quantising the weights with this mixture.
     *
     * @param mixture the mixture
     * @param weights the weight tensors' values
     * @param otherParams the number of the other (dense, 32-bit) parameters
     * @return 32 bits × all parameters over the counted bits
     */
    public static double ratio(MixtureQuantizer mixture, List<float[]> weights, long otherParams) {
        int kAll = mixture.means().length;
        int[][] codes = new int[weights.size()][];
        boolean[] used = new boolean[kAll];
        used[0] = true;
        long params = otherParams;
        for (int t = 0; t < codes.length; t++) {
            codes[t] = mixture.assign(weights.get(t));
            for (int c : codes[t]) used[c] = true;
            params += codes[t].length;
        }
        int[] renumber = new int[kAll];
        int k = 0;
        for (int j = 0; j < kAll; j++) renumber[j] = used[j] ? k++ : -1;
        k = Math.max(k, 2);
        long bits = 32L * otherParams;
        for (int[] a : codes) {
            for (int i = 0; i < a.length; i++) a[i] = renumber[a[i]];
            bits += SparseCode.encode(a, k).bits() + 32L * k;
        }
        return 32.0 * params / bits;
    }
}
