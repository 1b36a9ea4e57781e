package dev.regula.spark;

import dev.regula.api.tensor.Tensor;
import dev.regula.core.data.Dataset;
import java.io.Serializable;

/**
 * One worker's rows of the training set: the contiguous block {@code [firstRow, firstRow + n)}
 * of the global row order. It lives in the executor's block store (the RDD is locally
 * checkpointed), so a synchronisation ships parameters, never data.
 *
 * @param worker the worker (partition) index
 * @param firstRow the global index of the first row
 * @param features the rows' features, row-major
 * @param featureShape shape of the features tensor
 * @param labels the rows' labels
 * @param labelShape shape of the labels tensor
 * @param numClasses classes (0 for real targets)
 */
record Shard(int worker, int firstRow, float[] features, int[] featureShape, float[] labels, int[] labelShape, int numClasses)
        implements Serializable {
    static Shard of(int worker, Dataset all, int from, int to) {
        Dataset d = all.subset(from, to);
        return new Shard(worker, from, d.features().data(), d.features().shape(), d.labels().data(), d.labels().shape(),
                d.numClasses());
    }

    int rows() {
        return featureShape[0];
    }

    Dataset dataset() {
        return new Dataset(Tensor.wrap(features, featureShape), Tensor.wrap(labels, labelShape), numClasses);
    }
}
