package dev.regula.gan.eval;

/**
 * Eigen-decomposition of a real symmetric matrix by the cyclic Jacobi method, in double precision:
 * A = V·diag(λ)·Vᵀ with V orthogonal (eigenvectors in columns). Accurate to a few ulps of ‖A‖
 * for the small (≤ a few hundred) feature dimensions of GAN metrics.
 */
final class SymmetricEigen {
    private static final int MAX_SWEEPS = 100;

    final double[] values;
    final double[][] vectors;

    private SymmetricEigen(double[] values, double[][] vectors) {
        this.values = values;
        this.vectors = vectors;
    }

    /**
     * @param matrix a symmetric n×n matrix (only read; the upper and lower triangles should agree)
     * @return its eigenvalues and eigenvectors (columns of {@code vectors})
     */
    static SymmetricEigen of(double[][] matrix) {
        int n = matrix.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            if (matrix[i].length != n) throw new IllegalArgumentException("matrix must be square, row " + i + " has " + matrix[i].length + " columns, expected " + n);
            a[i] = matrix[i].clone();
        }
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) v[i][i] = 1;
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double off = 0;
            double diag = 0;
            for (int i = 0; i < n; i++) {
                diag += a[i][i] * a[i][i];
                for (int j = i + 1; j < n; j++) off += a[i][j] * a[i][j];
            }
            if (off <= 1e-30 * Math.max(diag, Double.MIN_NORMAL)) break;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    double apq = a[p][q];
                    if (apq == 0) continue;
                    // Rotation that zeroes a[p][q] (Golub & Van Loan, Algorithm 8.4.1).
                    double theta = (a[q][q] - a[p][p]) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                    a[p][q] = 0;
                    a[q][p] = 0;
                    for (int k = 0; k < n; k++) {
                        double vkp = v[k][p];
                        double vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) values[i] = a[i][i];
        return new SymmetricEigen(values, v);
    }

    /** @return V·diag(√max(λ, 0))·Vᵀ, the PSD square root (tiny negative eigenvalues clamped to 0) */
    double[][] sqrtMatrix() {
        int n = values.length;
        double[] root = new double[n];
        for (int i = 0; i < n; i++) root[i] = Math.sqrt(Math.max(values[i], 0));
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) s += vectors[i][k] * root[k] * vectors[j][k];
                out[i][j] = s;
                out[j][i] = s;
            }
        }
        return out;
    }
}
