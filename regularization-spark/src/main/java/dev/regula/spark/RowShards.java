package dev.regula.spark;

import dev.regula.api.RegulaException;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.data.Dataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;

/**
 * Shards made by the executors from an RDD of rows they read themselves (files on shared storage,
 * a table), so that the training set never passes through the driver. Partition p of the RDD
 * becomes worker p's shard; the global row order is the RDD's order (partition by partition), so
 * the RDD must yield the same rows in the same order each time it is computed (it is read twice:
 * once to count, once to build the shards, which are then kept in the executors' block stores).
 */
final class RowShards {
    private RowShards() {
    }

    /**
     * @param rows one array per example: its features (row-major, {@code prod(inputShape)} values)
     *     followed by its label: one class index for classification, else {@code outputs} targets
     * @param inputShape shape of one example
     * @param outputs model outputs (classes or targets)
     * @param classification whether the labels are class indices
     * @param workers the run's workers, which must equal the RDD's partitions
     * @return the shards, locally checkpointed and computed, and the total number of rows
     * @throws IllegalArgumentException naming the partition and row of a malformed row, or a
     *     partition count that differs from the workers, or an empty partition
     */
    static Built build(JavaRDD<float[]> rows, int[] inputShape, int outputs, boolean classification, int workers) {
        int partitions = rows.getNumPartitions();
        if (partitions != workers) {
            throw new IllegalArgumentException("the RDD of rows has " + partitions + " partitions but the run has " + workers
                    + " workers; each partition is one worker's shard: set workers(" + partitions + ") or coalesce the RDD to "
                    + workers + " partitions");
        }
        List<Long> counts = unwrap(() -> rows.mapPartitions(it -> {
            long n = 0;
            for (; it.hasNext(); it.next()) n++;
            return List.of(n).iterator();
        }).collect());
        long[] offsets = new long[partitions + 1];
        for (int p = 0; p < partitions; p++) {
            if (counts.get(p) == 0) {
                throw new IllegalArgumentException("partition " + p + " of the RDD of rows is empty; every worker needs at least one row");
            }
            offsets[p + 1] = offsets[p] + counts.get(p);
        }
        if (offsets[partitions] > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the RDD holds " + offsets[partitions] + " rows, more than " + Integer.MAX_VALUE);
        }
        int[] shape = inputShape.clone();
        JavaRDD<Shard> shards = rows.mapPartitionsWithIndex((p, it) -> List.of(shard(p, (int) offsets[p],
                (int) (offsets[p + 1] - offsets[p]), it, shape, outputs, classification)).iterator(), true);
        // Truncates the lineage: later tasks carry a small checkpoint partition, not a re-read of the source.
        shards.rdd().localCheckpoint();
        unwrap(shards::count);
        return new Built(shards, (int) offsets[partitions]);
    }

    /** The shards and the total number of rows. */
    record Built(JavaRDD<Shard> shards, int rows) {
    }

    private static Shard shard(int p, int first, int expected, Iterator<float[]> it, int[] inputShape, int outputs,
                               boolean classification) {
        int d = 1;
        for (int s : inputShape) d *= s;
        int labelWidth = classification ? 1 : outputs;
        List<float[]> all = new ArrayList<>(expected);
        while (it.hasNext()) {
            float[] row = it.next();
            if (row == null || row.length != d + labelWidth) {
                throw new IllegalArgumentException("row " + all.size() + " of partition " + p + " (global row " + (first + all.size()) + ") has "
                        + (row == null ? "no values (null)" : row.length + " values") + "; expected " + d + " features "
                        + Arrays.toString(inputShape) + " followed by " + (classification ? "1 class index" : labelWidth + " targets")
                        + " = " + (d + labelWidth));
            }
            all.add(row);
        }
        if (all.size() != expected) {
            throw new IllegalArgumentException("partition " + p + " of the RDD of rows gave " + expected + " rows when counted and "
                    + all.size() + " when read again; the RDD must give the same rows each time (cache or persist it)");
        }
        int n = all.size();
        float[] x = new float[n * d];
        float[] y = new float[n * labelWidth];
        for (int i = 0; i < n; i++) {
            System.arraycopy(all.get(i), 0, x, i * d, d);
            System.arraycopy(all.get(i), d, y, i * labelWidth, labelWidth);
        }
        int[] featureShape = new int[inputShape.length + 1];
        featureShape[0] = n;
        System.arraycopy(inputShape, 0, featureShape, 1, inputShape.length);
        int[] labelShape = labelWidth == 1 ? new int[] {n} : new int[] {n, labelWidth};
        int classes = classification ? outputs : 0;
        try {
            new Dataset(Tensor.wrap(x, featureShape), Tensor.wrap(y, labelShape), classes);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("partition " + p + " of the RDD of rows (global rows from " + first + "): " + e.getMessage(), e);
        }
        return new Shard(p, first, x, featureShape, y, labelShape, classes);
    }

    private interface Job<T> {
        T run();
    }

    /** Rethrows the cause a task threw (an IllegalArgumentException or RegulaException naming the row) instead of Spark's wrapper. */
    private static <T> T unwrap(Job<T> job) {
        try {
            return job.run();
        } catch (Exception e) { // Spark's SparkException is checked, though no Java signature declares it
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof IllegalArgumentException iae) throw new IllegalArgumentException(iae.getMessage(), e);
                if (c instanceof RegulaException re) throw re;
            }
            if (e instanceof RuntimeException re) throw re;
            throw new RegulaException("reading the RDD of rows failed: " + e.getMessage(), e);
        }
    }
}
