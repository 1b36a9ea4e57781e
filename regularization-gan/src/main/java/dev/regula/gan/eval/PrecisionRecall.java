package dev.regula.gan.eval;

import java.util.Arrays;

/**
 * Improved precision and recall of a generative model (Kynkäänniemi et al. 2019, "Improved
 * Precision and Recall Metric for Assessing Generative Models"), on any embeddings.
 *
 * <p>The manifold of a sample set is approximated by the union of closed balls around its
 * points, each with radius the Euclidean distance to that point's k-th nearest neighbour in the
 * same set (the point itself excluded by index, so a duplicate counts as a neighbour at distance
 * 0):
 * <ul>
 *   <li>precision = fraction of generated points inside the real manifold (are the samples
 *       realistic?);</li>
 *   <li>recall = fraction of real points inside the generated manifold (is the real variety
 *       covered?).</li>
 * </ul>
 * A point exactly on a ball's boundary counts as inside. Swapping the two sets swaps precision and
 * recall. Computed exactly by brute force on squared distances in double: O((n + m)²·d) time and
 * O((n + m)·d) extra memory.
 */
public final class PrecisionRecall {
    /** The neighbourhood size used by the paper and by {@link #between(float[][], float[][])}. */
    public static final int DEFAULT_K = 3;

    /**
     * The two fractions.
     *
     * @param precision fraction of generated points inside the real manifold, in [0, 1]
     * @param recall fraction of real points inside the generated manifold, in [0, 1]
     */
    public record Result(double precision, double recall) {
        /** @throws IllegalArgumentException if a fraction is not in [0, 1] */
        public Result {
            if (!(precision >= 0 && precision <= 1)) throw new IllegalArgumentException("precision must be in [0, 1], got " + precision);
            if (!(recall >= 0 && recall <= 1)) throw new IllegalArgumentException("recall must be in [0, 1], got " + recall);
        }
    }

    private PrecisionRecall() {
    }

    /**
     * Precision and recall with the paper's k = {@value #DEFAULT_K}.
     *
     * @param real real embeddings, one sample a row; at least 4 rows
     * @param generated generated embeddings with the same width; at least 4 rows
     * @return the precision and recall
     * @throws IllegalArgumentException as {@link #between(float[][], float[][], int)}
     */
    public static Result between(float[][] real, float[][] generated) {
        return between(real, generated, DEFAULT_K);
    }

    /**
     * @param real real embeddings, one sample a row; more than {@code k} rows
     * @param generated generated embeddings with the same width; more than {@code k} rows
     * @param k which nearest neighbour sets a ball's radius; 1 ≤ k &lt; min(rows of real, rows of
     *     generated)
     * @return the precision and recall
     * @throws IllegalArgumentException if a set is null or empty, its rows are ragged, of width 0 or
     *     contain a non-finite value, the widths differ, or k is out of range
     */
    public static Result between(float[][] real, float[][] generated, int k) {
        int d = Embeddings.width(real, "real");
        int dg = Embeddings.width(generated, "generated");
        if (d != dg) {
            throw new IllegalArgumentException("real and generated embeddings differ in width: real has " + d + " features, generated " + dg);
        }
        if (k < 1 || k >= real.length || k >= generated.length) {
            throw new IllegalArgumentException("k must be at least 1 and less than the number of real (" + real.length
                    + ") and of generated (" + generated.length + ") samples, got " + k);
        }
        double[] r = Embeddings.flatten(real, d);
        double[] g = Embeddings.flatten(generated, d);
        double[] realRadii = kthNeighbourSquared(r, real.length, d, k);
        double[] generatedRadii = kthNeighbourSquared(g, generated.length, d, k);
        double precision = fractionInside(g, generated.length, r, realRadii, d);
        double recall = fractionInside(r, real.length, g, generatedRadii, d);
        return new Result(precision, recall);
    }

    /** @return for each of the n rows of x, the squared distance to its k-th nearest other row */
    private static double[] kthNeighbourSquared(double[] x, int n, int d, int k) {
        // best[i*k .. i*k+k-1]: the k smallest squared distances seen so far for row i, ascending
        double[] best = new double[n * k];
        Arrays.fill(best, Double.POSITIVE_INFINITY);
        for (int i = 0; i < n; i++) {
            int oi = i * d;
            for (int j = i + 1; j < n; j++) {
                double s = Embeddings.squaredDistance(x, oi, x, j * d, d);
                offer(best, i * k, k, s);
                offer(best, j * k, k, s);
            }
        }
        double[] radii = new double[n];
        for (int i = 0; i < n; i++) radii[i] = best[i * k + k - 1];
        return radii;
    }

    /** Inserts s into the ascending list best[from .. from+k-1] if it is smaller than the largest. */
    private static void offer(double[] best, int from, int k, double s) {
        int p = from + k - 1;
        if (s >= best[p]) return;
        while (p > from && best[p - 1] > s) {
            best[p] = best[p - 1];
            p--;
        }
        best[p] = s;
    }

    /** @return the fraction of the rows of q lying in some closed ball (centre row of c, squared radius) */
    private static double fractionInside(double[] q, int nq, double[] c, double[] radii, int d) {
        int nc = radii.length;
        int inside = 0;
        for (int i = 0; i < nq; i++) {
            int oi = i * d;
            for (int j = 0; j < nc; j++) {
                if (Embeddings.squaredDistance(q, oi, c, j * d, d) <= radii[j]) {
                    inside++;
                    break;
                }
            }
        }
        return (double) inside / nq;
    }


}
