package dev.regula.gan.eval;

/**
 * The kernel distance (KID): the unbiased estimate of the squared maximum mean discrepancy with
 * the polynomial kernel k(x, y) = (xᵀy/d + 1)³ (Bińkowski et al. 2018):
 * <pre>
 *   MMD²_u = 1/(m(m−1)) Σ_{i≠j} k(a_i, a_j) + 1/(n(n−1)) Σ_{i≠j} k(b_i, b_j) − 2/(mn) Σ_{i,j} k(a_i, b_j)
 * </pre>
 * computed on all pairs in double precision. Unbiased, so it can be slightly negative when both
 * sets come from the same distribution; preferred over the Fréchet distance at small sample sizes.
 */
public final class KernelDistance {
    private KernelDistance() {
    }

    /**
     * @param a samples in rows; at least 2 rows
     * @param b samples of the other set with the same number of columns; at least 2 rows
     * @return the unbiased MMD² (may be slightly negative)
     * @throws IllegalArgumentException if a set has fewer than 2 rows or the widths differ
     */
    public static double between(float[][] a, float[][] b) {
        int d = Samples.check(a, b);
        int m = a.length;
        int n = b.length;
        double aa = 0;
        for (int i = 0; i < m; i++) for (int j = i + 1; j < m; j++) aa += kernel(a[i], a[j], d);
        double bb = 0;
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) bb += kernel(b[i], b[j], d);
        double ab = 0;
        for (float[] x : a) for (float[] y : b) ab += kernel(x, y, d);
        return 2 * aa / ((double) m * (m - 1)) + 2 * bb / ((double) n * (n - 1)) - 2 * ab / ((double) m * n);
    }

    private static double kernel(float[] x, float[] y, int d) {
        double s = 0;
        for (int k = 0; k < d; k++) s += (double) x[k] * y[k];
        double t = s / d + 1;
        return t * t * t;
    }
}
