package dev.regula.api.kernels;

/**
 * The scalar reference of {@link Kernels#mixturePriorGradient}, in double precision, and its
 * argument checks.
 */
final class MixturePrior {
    /** Exponents this far below the largest one add nothing a double can hold. */
    static final double NEGLIGIBLE = 50;
    /** Values per block: the per-component passes run over this many at a time. */
    static final int BLOCK = 256;

    private MixturePrior() {
    }

    static void checkArguments(int n, float[] x, int xOff, float[] g, int gOff, int k, double[] mu, double[] halfTau,
                               double[] logWeight, double[] sums) {
        if (n < 0) throw new IllegalArgumentException("mixturePriorGradient: n must be >= 0, got " + n);
        if (k < 1) throw new IllegalArgumentException("mixturePriorGradient: k (components) must be >= 1, got " + k);
        if (mu.length < k || halfTau.length < k || logWeight.length < k) {
            throw new IllegalArgumentException("mixturePriorGradient: mu, halfTau and logWeight must hold k = " + k
                    + " values, got " + mu.length + ", " + halfTau.length + ", " + logWeight.length);
        }
        if (sums.length < 3 * k) {
            throw new IllegalArgumentException("mixturePriorGradient: sums must hold 3k = " + 3 * k + " values, got " + sums.length);
        }
        java.util.Objects.checkFromIndexSize(xOff, n, x.length);
        java.util.Objects.checkFromIndexSize(gOff, n, g.length);
    }

    /**
     * Per block, three flat passes per component (component outer, values inner): the exponents
     * and their maximum; one exp(a_j − max) per value and component, reused for the normaliser
     * and the responsibilities; the gradients.
     */
    static void reference(int len, float[] x, int xOff, float[] g, int gOff, double scale, int k,
                          double[] mu, double[] halfTau, double[] logWeight, double[] sums) {
        double[][] e = new double[k][BLOCK];
        double[] xs = new double[BLOCK];
        double[] max = new double[BLOCK];
        double[] z = new double[BLOCK];
        double[] gx = new double[BLOCK];
        for (int start = 0; start < len; start += BLOCK) {
            int n = Math.min(BLOCK, len - start);
            for (int i = 0; i < n; i++) {
                xs[i] = x[xOff + start + i];
                max[i] = Double.NEGATIVE_INFINITY;
                z[i] = 0;
                gx[i] = 0;
            }
            for (int j = 0; j < k; j++) { // exponents a_j(x) = w_j − h_j·(x − μ_j)² and their maximum
                double m = mu[j];
                double h = halfTau[j];
                double cj = logWeight[j];
                double[] ej = e[j];
                for (int i = 0; i < n; i++) {
                    double d = xs[i] - m;
                    double aj = cj - h * d * d;
                    ej[i] = aj;
                    max[i] = Math.max(max[i], aj);
                }
            }
            for (int j = 0; j < k; j++) { // exp(a_j − max), one per value and component, and their sum
                double[] ej = e[j];
                for (int i = 0; i < n; i++) {
                    double t = ej[i] - max[i];
                    double v = t > -NEGLIGIBLE ? Math.exp(t) : 0;
                    ej[i] = v;
                    z[i] += v;
                }
            }
            for (int i = 0; i < n; i++) z[i] = 1 / z[i];
            for (int j = 0; j < k; j++) { // responsibilities r_j = exp(a_j − max)/Σ into every gradient
                double[] ej = e[j];
                double m = mu[j];
                double h = halfTau[j];
                double tj = 2 * h;
                double sumMu = 0;
                double sumS = 0;
                double sumR = 0;
                for (int i = 0; i < n; i++) {
                    double r = ej[i] * z[i];
                    double d = xs[i] - m;
                    double rtd = r * tj * d;
                    gx[i] += rtd;
                    sumMu += rtd;
                    sumS += r * h * d * d;
                    sumR += r;
                }
                sums[j] += sumMu;
                sums[k + j] += sumS;
                sums[2 * k + j] += sumR;
            }
            for (int i = 0; i < n; i++) g[gOff + start + i] += (float) (scale * gx[i]);
        }
    }
}
