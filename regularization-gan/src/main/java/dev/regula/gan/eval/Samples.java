package dev.regula.gan.eval;

/** Shared checks and moments of sample matrices (rows = samples, columns = features). */
final class Samples {
    private Samples() {
    }

    /** @return the common width of two sample sets, each with at least 2 rectangular rows */
    static int check(float[][] a, float[][] b) {
        int d = width(a, "a");
        int db = width(b, "b");
        if (d != db) {
            throw new IllegalArgumentException("the sample sets have different widths: a has " + d + " features, b has " + db);
        }
        return d;
    }

    private static int width(float[][] x, String name) {
        if (x == null || x.length < 2) {
            throw new IllegalArgumentException("sample set " + name + " needs at least 2 rows, got " + (x == null ? "null" : x.length));
        }
        int d = x[0].length;
        if (d == 0) throw new IllegalArgumentException("sample set " + name + " has rows of width 0");
        for (int i = 1; i < x.length; i++) {
            if (x[i].length != d) {
                throw new IllegalArgumentException("sample set " + name + ": row " + i + " has " + x[i].length + " columns, row 0 has " + d);
            }
        }
        return d;
    }

    static double[] mean(float[][] x, int d) {
        double[] m = new double[d];
        for (float[] row : x) for (int j = 0; j < d; j++) m[j] += row[j];
        for (int j = 0; j < d; j++) m[j] /= x.length;
        return m;
    }

    /** Unbiased covariance (divides by n − 1). */
    static double[][] covariance(float[][] x, double[] mean) {
        int d = mean.length;
        double[][] c = new double[d][d];
        double[] centred = new double[d];
        for (float[] row : x) {
            for (int j = 0; j < d; j++) centred[j] = row[j] - mean[j];
            for (int i = 0; i < d; i++) {
                double ci = centred[i];
                for (int j = i; j < d; j++) c[i][j] += ci * centred[j];
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                c[i][j] /= x.length - 1;
                c[j][i] = c[i][j];
            }
        }
        return c;
    }
}
