package dev.regula.examples.compress;

import java.util.List;

/**
 * The rule behind {@code regula compress --target-ratio R}: after retraining, the weights are
 * pruned by a radius around the zero component's mean instead of by the mixture's own rule (a
 * weight within the radius goes to component 0, every other one to its most responsible non-zero
 * component, {@link MixtureQuantizer#assign(float[], double)}), with the radius the smallest,
 * found by bisection, whose compression by the bits is at least R. A larger radius only moves
 * weights into component 0, never out, so the non-zero count falls monotonically with it; the bit
 * count follows it (up to a few bits where the best relative-index width or the code width
 * changes), and the bisection keeps to the side that meets R.
 *
 * <p>The radius, not a shift of log π_0: after retraining under a Gamma hyperprior the zero
 * component is so narrow (σ ≈ 0.01 or less) that a weight a few σ away has a log-density hundreds
 * of nats below its neighbour's, and no finite shift of π_0 prunes it.
 *
 * <p>The count is the command's: the weights go to their components, the components in use are
 * renumbered (0 stays 0) into codes of ⌈log₂ K⌉ bits ({@link SparseCode#encode}), each weight
 * tensor adds a codebook of K 32-bit values, every other parameter is dense at 32 bits.
 */
public final class RatioTarget {
    private static final int STEPS = 50;

    private RatioTarget() {
    }

    /**
     * The outcome of the search.
     *
     * @param radius the pruning radius around μ_0
     * @param ratio the compression by the bits with it
     * @param reached whether the ratio is at least the target (false only if pruning every weight still falls short)
     */
    public record Choice(double radius, double ratio, boolean reached) {
    }

    /**
     * @param mixture the learned (possibly merged) mixture
     * @param weights the weight tensors' values, quantised as the command does
     * @param otherParams the number of the other (dense, 32-bit) parameters
     * @param target the compression to reach, &gt; 1
     * @return the smallest radius (to 2^−50 of the largest distance) whose compression is at least the target
     * @throws IllegalArgumentException if the target is not a finite number &gt; 1
     */
    public static Choice choose(MixtureQuantizer mixture, List<float[]> weights, long otherParams, double target) {
        if (!(target > 1) || Double.isInfinite(target)) {
            throw new IllegalArgumentException("target compression must be a finite number > 1, got " + target);
        }
        double farthest = 0;
        for (float[] w : weights) for (float v : w) farthest = Math.max(farthest, Math.abs((double) v - mixture.means()[0]));
        double lo = 0;
        double loRatio = ratio(mixture, weights, otherParams, lo);
        if (loRatio >= target) return new Choice(lo, loRatio, true);
        double hi = Math.nextUp(farthest); // every weight pruned
        double hiRatio = ratio(mixture, weights, otherParams, hi);
        if (hiRatio < target) return new Choice(hi, hiRatio, false);
        for (int s = 0; s < STEPS; s++) { // invariant: ratio(lo) < target <= ratio(hi)
            double mid = 0.5 * (lo + hi);
            double r = ratio(mixture, weights, otherParams, mid);
            if (r >= target) {
                hi = mid;
                hiRatio = r;
            } else {
                lo = mid;
            }
        }
        return new Choice(hi, hiRatio, true);
    }

    /**
     * The compression by the bits of quantising the weights with this mixture and pruning radius.
     *
     * @param mixture the mixture
     * @param weights the weight tensors' values
     * @param otherParams the number of the other (dense, 32-bit) parameters
     * @param radius the pruning radius around μ_0
     * @return 32 bits × all parameters over the counted bits
     */
    public static double ratio(MixtureQuantizer mixture, List<float[]> weights, long otherParams, double radius) {
        int kAll = mixture.means().length;
        int[][] codes = new int[weights.size()][];
        boolean[] used = new boolean[kAll];
        used[0] = true;
        long params = otherParams;
        for (int t = 0; t < codes.length; t++) {
            codes[t] = mixture.assign(weights.get(t), radius);
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
