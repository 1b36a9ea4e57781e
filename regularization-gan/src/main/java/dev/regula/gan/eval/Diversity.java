package dev.regula.gan.eval;

import java.util.Arrays;

/**
 * Diversity of embeddings as mean pairwise Euclidean distance.
 *
 * <p>{@link #withinGroups(float[][], int[])} measures how much a conditional generator varies its
 * output for one condition: the samples of a group share a condition and differ only in the noise
 * z. For each group with at least 2 members it takes the mean distance over the member pairs, then
 * averages these means with equal weight per group; singleton groups are skipped. A generator that
 * ignores z (mode collapse within a condition) scores 0.
 *
 * <p>{@link #meanPairwiseDistance(float[][])} is the same measure on one set, e.g. the real
 * embeddings as the reference scale. Both are computed exactly over all pairs in double, are
 * invariant to translation and rotation, and scale linearly with the embeddings.
 */
public final class Diversity {
    private Diversity() {
    }

    /**
     * @param embeddings one sample a row, all rows the same width ≥ 1, finite values
     * @param group the condition of each row: {@code group[i]} for row i, any int ids, in any order
     * @return the mean over groups with ≥ 2 members of their mean pairwise distance; ≥ 0
     * @throws IllegalArgumentException if the embeddings are null, empty, ragged or not finite,
     *     {@code group} is null or of another length than {@code embeddings}, or no group has 2 or
     *     more members
     */
    public static double withinGroups(float[][] embeddings, int[] group) {
        int d = Embeddings.width(embeddings, "the");
        int m = embeddings.length;
        if (group == null || group.length != m) {
            throw new IllegalArgumentException("group must give one id per embedding row: " + m + " rows, "
                    + (group == null ? "group is null" : group.length + " ids"));
        }
        // sort the row indices by group id without boxing: key = (id, index) packed in a long
        long[] keys = new long[m];
        for (int i = 0; i < m; i++) keys[i] = ((long) group[i] << 32) | i;
        Arrays.sort(keys);
        double[] x = Embeddings.flatten(embeddings, d);
        int[] members = new int[m];
        double sumOfMeans = 0;
        int groups = 0;
        int start = 0;
        while (start < m) {
            int id = (int) (keys[start] >> 32);
            int size = 0;
            while (start + size < m && (int) (keys[start + size] >> 32) == id) {
                members[size] = (int) keys[start + size];
                size++;
            }
            if (size >= 2) {
                sumOfMeans += meanPairwise(x, members, size, d);
                groups++;
            }
            start += size;
        }
        if (groups == 0) {
            throw new IllegalArgumentException("no group has 2 or more members (" + m
                    + " rows, all in different groups); within-group diversity needs several samples per condition");
        }
        return sumOfMeans / groups;
    }

    /**
     * @param embeddings one sample a row, at least 2 rows, all the same width ≥ 1, finite values
     * @return the mean Euclidean distance over all pairs of distinct rows; ≥ 0
     * @throws IllegalArgumentException if there are fewer than 2 rows, or the rows are ragged or not
     *     finite
     */
    public static double meanPairwiseDistance(float[][] embeddings) {
        int d = Embeddings.width(embeddings, "the");
        int m = embeddings.length;
        if (m < 2) throw new IllegalArgumentException("mean pairwise distance needs at least 2 rows, got " + m);
        int[] all = new int[m];
        for (int i = 0; i < m; i++) all[i] = i;
        return meanPairwise(Embeddings.flatten(embeddings, d), all, m, d);
    }

    /** @return the mean distance over the pairs of rows rows[0 .. size-1] of x; size ≥ 2 */
    private static double meanPairwise(double[] x, int[] rows, int size, int d) {
        double sum = 0;
        for (int a = 0; a < size; a++) {
            int oa = rows[a] * d;
            for (int b = a + 1; b < size; b++) sum += Math.sqrt(Embeddings.squaredDistance(x, oa, x, rows[b] * d, d));
        }
        return sum / ((double) size * (size - 1) / 2);
    }
}
