package dev.regula.gan.eval;

/**
 * Shared checks and flat storage for the embedding metrics ({@link PrecisionRecall},
 * {@link Diversity}): rows = samples, columns = features.
 */
final class Embeddings {
    private Embeddings() {
    }

    /**
     * @param x the rows to check
     * @param name what the rows are, for the error message
     * @return the common width of the rows of x
     * @throws IllegalArgumentException if x is null or empty, a row is null, of width 0 or of
     *     another width than row 0, or a value is not finite
     */
    static int width(float[][] x, String name) {
        if (x == null || x.length == 0) {
            throw new IllegalArgumentException(name + " embeddings need at least 1 row, got " + (x == null ? "null" : "0"));
        }
        if (x[0] == null || x[0].length == 0) {
            throw new IllegalArgumentException(name + " embeddings: row 0 is " + (x[0] == null ? "null" : "empty") + "; rows need at least 1 feature");
        }
        int d = x[0].length;
        for (int i = 0; i < x.length; i++) {
            float[] row = x[i];
            if (row == null || row.length != d) {
                throw new IllegalArgumentException(name + " embeddings: row " + i + " has " + (row == null ? "no array" : row.length + " features")
                        + ", row 0 has " + d + "; all rows must have the same width");
            }
            for (int t = 0; t < d; t++) {
                if (!Float.isFinite(row[t])) {
                    throw new IllegalArgumentException(name + " embeddings: row " + i + ", feature " + t + " is " + row[t]
                            + "; only finite values are allowed");
                }
            }
        }
        return d;
    }

    /** @return the rows of x (each of width d) one after another, in double */
    static double[] flatten(float[][] x, int d) {
        double[] flat = new double[Math.multiplyExact(x.length, d)];
        for (int i = 0; i < x.length; i++) {
            float[] row = x[i];
            int o = i * d;
            for (int t = 0; t < d; t++) flat[o + t] = row[t];
        }
        return flat;
    }

    /** @return the squared Euclidean distance between a[oa .. oa+d-1] and b[ob .. ob+d-1] */
    static double squaredDistance(double[] a, int oa, double[] b, int ob, int d) {
        double s = 0;
        for (int t = 0; t < d; t++) {
            double diff = a[oa + t] - b[ob + t];
            s += diff * diff;
        }
        return s;
    }
}
