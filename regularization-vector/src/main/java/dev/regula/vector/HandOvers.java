package dev.regula.vector;

/**
 * Where a Gaussian mixture's responsibility passes from one component to another: at x* where
 * two exponents a_j(x) = w_j − h_j·(x − μ_j)² are equal, r_j = 1/(1 + e^(a_l − a_j)) changes over
 * a width of about 1/|a_j'(x*) − a_l'(x*)|, which can be far below either component's σ when
 * they lie many σ apart. {@link MixturePriorTable} sizes its grid to resolve the sharpest such
 * hand-over among the values, as it does the narrowest component.
 */
final class HandOvers {
    /** Mixtures of more components are not searched (+∞: the grid follows σ_min alone). */
    static final int MOST_COMPONENTS = 32;

    private HandOvers() {
    }

    /**
     * @param share a hand-over counts only where the mixture puts at least this share of its mass
     *     within 8 widths of it (the mixture is fitted to the values, so about as many of them lie
     *     there)
     * @return the smallest width 1/|a_j' − a_l'| at a crossing of two exponents within [lo, hi]
     *     where both are within 24·ln 2 + 1 of the largest exponent; +∞ if there is none or the
     *     mixture has more than {@value #MOST_COMPONENTS} components
     */
    static double narrowest(int k, double[] mu, double[] halfTau, double[] logWeight, double lo, double hi,
                            double share) {
        double narrowest = Double.POSITIVE_INFINITY;
        if (k > MOST_COMPONENTS) return narrowest; // k³ exponentials would cost more than the table saves
        for (int j = 0; j < k; j++) {
            for (int l = j + 1; l < k; l++) {
                // a_j − a_l = A·x² + B·x + C
                double a = halfTau[l] - halfTau[j];
                double b = 2 * (halfTau[j] * mu[j] - halfTau[l] * mu[l]);
                double c = logWeight[j] - logWeight[l] - halfTau[j] * mu[j] * mu[j] + halfTau[l] * mu[l] * mu[l];
                double[] roots = roots(a, b, c);
                for (double x : roots) {
                    if (!(x >= lo && x <= hi)) continue;
                    double top = Double.NEGATIVE_INFINITY;
                    for (int m = 0; m < k; m++) top = Math.max(top, MixtureExponents.exponent(x, mu[m], halfTau[m], logWeight[m]));
                    if (MixtureExponents.exponent(x, mu[j], halfTau[j], logWeight[j]) < top - MixtureExponents.REACH) continue; // hands nothing over
                    double slope = Math.abs(2 * halfTau[l] * (x - mu[l]) - 2 * halfTau[j] * (x - mu[j]));
                    if (!(slope > 0) || !(1 / slope < narrowest)) continue; // (no narrower than one found)
                    double density = 0; // of the mixture at x: Σ_m π_m·N(x | μ_m, 1/τ_m), the exponents' w_m holding π_m and the normaliser
                    for (int m = 0; m < k; m++) density += StrictMath.exp(MixtureExponents.exponent(x, mu[m], halfTau[m], logWeight[m]));
                    if (density * 16 / slope >= share) narrowest = Math.min(narrowest, 1 / slope);
                }
            }
        }
        return narrowest;
    }


    /** The real roots of a·x² + b·x + c (one if a is 0, none if both are). */
    private static double[] roots(double a, double b, double c) {
        if (a == 0) return b == 0 ? new double[0] : new double[] {-c / b};
        double disc = b * b - 4 * a * c;
        if (!(disc >= 0)) return new double[0];
        double q = -0.5 * (b + Math.copySign(Math.sqrt(disc), b)); // no cancellation
        return q == 0 ? new double[] {0} : new double[] {q / a, c / q};
    }
}
