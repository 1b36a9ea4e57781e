package dev.regula.gan.eval;

/**
 * The Fréchet distance between Gaussians fitted to two sample sets (FID's formula, here on any
 * features):
 * <pre>
 *   d² = ‖μa − μb‖² + tr(Σa + Σb − 2·(Σa^{1/2} Σb Σa^{1/2})^{1/2})
 * </pre>
 * with sample means and unbiased (n − 1) covariances. Computed in double with symmetric Jacobi
 * eigen-decompositions; tiny negative eigenvalues from rounding are clamped to 0, and the result
 * to ≥ 0. Biased upward at small sample sizes (prefer {@link KernelDistance} there).
 */
public final class FrechetDistance {
    private FrechetDistance() {
    }

    /**
     * @param a samples in rows, features in columns; at least 2 rows
     * @param b samples of the other set, the same number of columns; at least 2 rows
     * @return the squared Fréchet distance d² ≥ 0
     * @throws IllegalArgumentException if a set has fewer than 2 rows or the widths differ
     */
    public static double between(float[][] a, float[][] b) {
        int d = Samples.check(a, b);
        double[] ma = Samples.mean(a, d);
        double[] mb = Samples.mean(b, d);
        double[][] ca = Samples.covariance(a, ma);
        double[][] cb = Samples.covariance(b, mb);
        double meanTerm = 0;
        for (int j = 0; j < d; j++) {
            double diff = ma[j] - mb[j];
            meanTerm += diff * diff;
        }
        double[][] rootA = SymmetricEigen.of(ca).sqrtMatrix();
        double[][] m = multiply(multiply(rootA, cb), rootA);
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                double s = 0.5 * (m[i][j] + m[j][i]);
                m[i][j] = s;
                m[j][i] = s;
            }
        }
        double traceRoot = 0;
        for (double v : SymmetricEigen.of(m).values) traceRoot += Math.sqrt(Math.max(v, 0));
        double trace = 0;
        for (int j = 0; j < d; j++) trace += ca[j][j] + cb[j][j];
        return Math.max(0, meanTerm + trace - 2 * traceRoot);
    }

    private static double[][] multiply(double[][] x, double[][] y) {
        int n = x.length;
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double xik = x[i][k];
                if (xik == 0) continue;
                for (int j = 0; j < n; j++) out[i][j] += xik * y[k][j];
            }
        }
        return out;
    }
}
