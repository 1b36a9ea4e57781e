package dev.regula.vector;

/**
 * A Gaussian mixture's exponents a_j(x) = w_j − h_j·(x − μ_j)² (w_j = log π_j + log √(τ_j/2π),
 * h_j = τ_j/2) at one point, in double and with {@link StrictMath} (the same bits interpreted and
 * compiled), for the table's checks and its nodes computed one by one. Scalar only: no vector
 * species, so it loads without the incubator module.
 */
final class MixtureExponents {
    /**
     * Natural orders below the largest exponent from which a component is left out: its
     * responsibility is then below 2^−24, which the kernels' contract lets a float provider drop.
     */
    static final double REACH = 24 * Math.log(2) + 1;

    private MixtureExponents() {
    }

    /** A component's exponent w − h·(x − μ)² at x: log(π·N(x | μ, 1/(2h))). */
    static double exponent(double x, double mu, double halfTau, double logWeight) {
        double d = x - mu;
        return logWeight - halfTau * d * d;
    }

    /**
     * e^(a_j − max_l a_l) at x into {@code e}, 0 for a component more than 24·ln 2 + 1 below the
     * largest (as the blocks drop it); returns their sum.
     */
    static double exponentials(double x, int k, double[] mu, double[] halfTau, double[] logWeight, double[] e) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            e[j] = exponent(x, mu[j], halfTau[j], logWeight[j]);
            max = Math.max(max, e[j]);
        }
        double z = 0;
        for (int j = 0; j < k; j++) {
            e[j] = e[j] - max > -REACH ? StrictMath.exp(e[j] - max) : 0;
            z += e[j];
        }
        return z;
    }
}
