package dev.regula.examples.compress;

/**
 * The quantisation step of soft weight sharing: every weight goes to the mean of the mixture
 * component with the highest responsibility, log π_j + ½·log τ_j − ½·τ_j·(w − μ_j)²; component 0
 * (mean fixed at 0) is the pruned one.
 *
 * @param means μ_j, μ_0 = 0
 * @param logPi log π_j
 * @param precisions τ_j &gt; 0
 */
public record MixtureQuantizer(float[] means, double[] logPi, double[] precisions) {
    /** Checks the three arrays have one entry per component, at least 2. */
    public MixtureQuantizer {
        if (means.length < 2 || logPi.length != means.length || precisions.length != means.length) {
            throw new IllegalArgumentException("a mixture needs >= 2 components and as many log π and precisions as means, got "
                    + means.length + ", " + logPi.length + ", " + precisions.length);
        }
    }

    /**
     * @param w weights
     * @return per weight the component it goes to
     */
    public int[] assign(float[] w) {
        int k = means.length;
        double[] c = new double[k];
        for (int j = 0; j < k; j++) c[j] = logPi[j] + 0.5 * Math.log(precisions[j]);
        int[] out = new int[w.length];
        for (int i = 0; i < w.length; i++) {
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                double d = w[i] - means[j];
                double s = c[j] - 0.5 * precisions[j] * d * d;
                if (s > bestScore) {
                    bestScore = s;
                    best = j;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /**
     * The assignment with a pruning radius instead of the mixture's own rule for component 0: a
     * weight within {@code radius} of μ_0 goes to component 0, every other weight to its most
     * responsible component among 1..K−1. The pruned set grows with the radius, never shrinks.
     *
     * @param w weights
     * @param radius ≥ 0
     * @return per weight the component it goes to
     * @throws IllegalArgumentException if radius is negative or not finite
     */
    public int[] assign(float[] w, double radius) {
        if (!(radius >= 0) || Double.isInfinite(radius)) throw new IllegalArgumentException("pruning radius must be >= 0, got " + radius);
        int k = means.length;
        double[] c = new double[k];
        for (int j = 0; j < k; j++) c[j] = logPi[j] + 0.5 * Math.log(precisions[j]);
        int[] out = new int[w.length];
        for (int i = 0; i < w.length; i++) {
            if (Math.abs((double) w[i] - means[0]) < radius) continue; // 0: pruned
            int best = 1;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int j = 1; j < k; j++) {
                double d = w[i] - means[j];
                double s = c[j] - 0.5 * precisions[j] * d * d;
                if (s > bestScore) {
                    bestScore = s;
                    best = j;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** @return the codebook: the means with code 0 exactly 0 */
    public float[] codebook() {
        float[] b = means.clone();
        b[0] = 0f;
        return b;
    }

    /**
     * Merges components whose means lie closer than {@code distance} (Ullrich et al. merge close
     * components before quantising): the non-zero means are taken in increasing order and each
     * joins the group of its predecessor when within {@code distance} of it; a group whose members
     * come within {@code distance} of 0 joins component 0. A merged component has the summed π, the
     * π-weighted mean (0 for component 0) and the precision of the merged members' moment-matched
     * variance. With {@code distance} 0 nothing is merged.
     *
     * @param distance the largest gap between means that are merged, ≥ 0
     * @return the merged mixture, component 0 first
     * @throws IllegalArgumentException if distance is negative or not finite, or reaches every
     *     non-zero mean (only the zero component would be left)
     */
    public MixtureQuantizer merged(double distance) {
        if (!(distance >= 0) || Double.isInfinite(distance)) throw new IllegalArgumentException("merge distance must be >= 0, got " + distance);
        if (distance == 0) return this;
        int k = means.length;
        Integer[] order = new Integer[k - 1];
        for (int j = 1; j < k; j++) order[j - 1] = j;
        java.util.Arrays.sort(order, (a, b) -> Float.compare(means[a], means[b]));
        int[] group = new int[k]; // group index per component; group 0 is the zero component
        java.util.List<Integer> firstOf = new java.util.ArrayList<>();
        firstOf.add(0);
        Integer previous = null;
        for (int j : order) {
            if (Math.abs(means[j]) < distance) group[j] = 0;
            else if (previous != null && means[j] - means[previous] < distance && group[previous] != 0) group[j] = group[previous];
            else {
                group[j] = firstOf.size();
                firstOf.add(j);
            }
            previous = j;
        }
        int g = firstOf.size();
        if (g < 2) {
            double largest = 0;
            for (int j = 1; j < k; j++) largest = Math.max(largest, Math.abs(means[j]));
            if (largest == 0) {
                throw new IllegalArgumentException("every learned mean is 0, so any merge distance > 0 merges every component into the"
                        + " zero one; give a merge distance of 0");
            }
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "merge distance %s reaches every learned mean"
                    + " (the largest |mean| is %.4g): every component would merge into the zero one and every weight be pruned;"
                    + " give a distance below %.4g", distance, largest, largest));
        }
        double[] pi = new double[g];
        double[] m1 = new double[g];
        double[] m2 = new double[g];
        for (int j = 0; j < k; j++) {
            double p = Math.exp(logPi[j]);
            pi[group[j]] += p;
            m1[group[j]] += p * means[j];
            m2[group[j]] += p * (1 / precisions[j] + (double) means[j] * means[j]);
        }
        float[] mu = new float[g];
        double[] lp = new double[g];
        double[] tau = new double[g];
        for (int q = 0; q < g; q++) {
            double mean = q == 0 ? 0 : m1[q] / pi[q];
            double var = Math.max(m2[q] / pi[q] - mean * mean, 1e-30);
            mu[q] = (float) mean;
            lp[q] = Math.log(pi[q]);
            tau[q] = 1 / var;
        }
        return new MixtureQuantizer(mu, lp, tau);
    }
}
