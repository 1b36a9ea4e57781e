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

    /** @return the codebook: the means with code 0 exactly 0 */
    public float[] codebook() {
        float[] b = means.clone();
        b[0] = 0f;
        return b;
    }
}
