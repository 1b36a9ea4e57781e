package dev.regula.core.regularizer.batch;

import dev.regula.api.kernels.CounterRng;

/**
 * A sequence of random draws from one counter-based key: the n-th uniform is
 * {@code CounterRng.uniform(key, n)}, the n-th normal {@code CounterRng.gaussian(key', n)} with a
 * second key, so a draw is a pure function of (key, position). Local to one call; not shared.
 */
final class Draws {
    private static final long GAUSSIAN_SALT = 0x5DEECE66DL;
    private final long key;
    private final long gaussianKey;
    private long uniforms;
    private long gaussians;

    Draws(long key) {
        this.key = key;
        this.gaussianKey = CounterRng.mix(key ^ GAUSSIAN_SALT);
    }

    /**
     * @param key the step's key of the regularizer
     * @param example an example index
     * @return the draws of that example at that step
     */
    static Draws of(long key, int example) {
        return new Draws(CounterRng.mix(key + (example + 1L) * CounterRng.GOLDEN));
    }

    /** @return uniform in [0, 1) */
    double uniform() {
        return CounterRng.uniform(key, uniforms++);
    }

    /**
     * @param lo lower bound
     * @param hi upper bound
     * @return uniform in [lo, hi)
     */
    double uniform(double lo, double hi) {
        return lo + (hi - lo) * uniform();
    }

    /**
     * @param n bound, ≥ 1
     * @return uniform integer in [0, n)
     */
    int below(int n) {
        return Math.min(n - 1, (int) (uniform() * n));
    }

    /** @return N(0, 1) */
    double gaussian() {
        return CounterRng.gaussian(gaussianKey, gaussians++);
    }

    /**
     * Gamma(shape, 1) by Marsaglia and Tsang (2000), with the boost U^{1/a} for a &lt; 1.
     *
     * @param shape a &gt; 0
     * @return a Gamma(a, 1) sample
     */
    double gamma(double shape) {
        if (shape < 1) return gamma(shape + 1) * Math.pow(1 - uniform(), 1 / shape);
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = gaussian();
            double v = 1 + c * x;
            if (v <= 0) continue;
            v = v * v * v;
            double u = 1 - uniform();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
        }
    }

    /**
     * @param alpha α &gt; 0
     * @return a Beta(α, α) sample, X/(X + Y) for X, Y ~ Gamma(α)
     */
    double symmetricBeta(double alpha) {
        double x = gamma(alpha);
        double y = gamma(alpha);
        return x + y == 0 ? 0.5 : x / (x + y);
    }

    /**
     * @param n size
     * @return a uniformly random permutation of 0..n−1 (Fisher–Yates)
     */
    int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = below(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
