package dev.regula.core.data;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.kernels.Kernels;
import dev.regula.core.kernels.ScalarKernels;
import dev.regula.api.tensor.Tensor;
import java.util.Arrays;
import java.util.Objects;

/**
 * An in-memory labelled data set: one feature row and one label row per example.
 *
 * <p>{@code features} has shape {@code [n, ...]}; {@code labels} has shape {@code [n]} (class
 * indices stored as floats, or real-valued targets) or {@code [n, k]} (one-hot, soft labels or
 * multi-output targets). {@code numClasses} is the number of classes, or {@code 0} when the labels
 * are real-valued targets rather than classes. Class-index labels are checked on construction to
 * be integers in {@code [0, numClasses)}; rank-2 labels with {@code numClasses > 0} must have
 * {@code k == numClasses}.
 *
 * <p>The tensors are shared, not copied: a data set is as mutable as its tensors, and callers
 * should treat them as read-only.
 *
 * @param features the inputs, shape {@code [n, ...]} with rank >= 1
 * @param labels the targets, shape {@code [n]} or {@code [n, k]}
 * @param numClasses the number of classes, or 0 for real-valued targets
 */
public record Dataset(Tensor features, Tensor labels, int numClasses) {
    /** Copies rows with plain {@link System#arraycopy}, for the methods that take no kernels. */
    private static final Kernels PLAIN = new ScalarKernels();

    /** Checks the shapes and, for class indices, the label values. */
    public Dataset {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(labels, "labels");
        if (features.rank() < 1) {
            throw new ShapeMismatchException("features must have rank >= 1 ([n, ...]), got shape "
                    + Arrays.toString(features.shape()));
        }
        if (labels.rank() != 1 && labels.rank() != 2) {
            throw new ShapeMismatchException("labels must have shape [n] or [n, k], got "
                    + Arrays.toString(labels.shape()));
        }
        if (features.dim(0) != labels.dim(0)) {
            throw new ShapeMismatchException("features have " + features.dim(0) + " rows but labels have "
                    + labels.dim(0) + " (features " + Arrays.toString(features.shape()) + ", labels "
                    + Arrays.toString(labels.shape()) + ")");
        }
        if (numClasses < 0) {
            throw new IllegalArgumentException("numClasses must be >= 0 (0 = real-valued targets), got " + numClasses);
        }
        if (numClasses > 0) {
            if (labels.rank() == 2 && labels.dim(1) != numClasses) {
                throw new ShapeMismatchException("labels of shape " + Arrays.toString(labels.shape())
                        + " need " + labels.dim(1) + " classes, but numClasses is " + numClasses);
            }
            if (labels.rank() == 1) {
                float[] y = labels.data();
                for (int i = 0; i < y.length; i++) {
                    float v = y[i];
                    if (!(v >= 0 && v < numClasses) || v != Math.rint(v)) {
                        throw new IllegalArgumentException("label " + v + " of example " + i
                                + " is not a class index in [0, " + numClasses + ")");
                    }
                }
            }
        }
    }

    /** @return the number of examples, {@code n} */
    public int size() {
        return features.dim(0);
    }

    /** @return the shape of one example's features (the feature shape without its first dimension) */
    public int[] exampleShape() {
        int[] s = features.shape();
        return Arrays.copyOfRange(s, 1, s.length);
    }

    /** @return the shape of one example's label: {@code []} for class indices, {@code [k]} otherwise */
    public int[] labelShape() {
        int[] s = labels.shape();
        return Arrays.copyOfRange(s, 1, s.length);
    }

    /**
     * Copies a contiguous range of examples into a new data set.
     *
     * @param from the first example, inclusive, in {@code [0, size()]}
     * @param to the last example, exclusive, in {@code [from, size()]}
     * @return a data set owning copies of the rows
     */
    public Dataset subset(int from, int to) {
        Objects.checkFromToIndex(from, to, size());
        int fr = features.rowSize();
        int lr = labels.rowSize();
        float[] f = Arrays.copyOfRange(features.data(), from * fr, to * fr);
        float[] l = Arrays.copyOfRange(labels.data(), from * lr, to * lr);
        return new Dataset(Tensor.wrap(f, withRows(features.shape(), to - from)),
                Tensor.wrap(l, withRows(labels.shape(), to - from)), numClasses);
    }

    /**
     * Gathers the examples {@code indices[from..to)} into new tensors.
     *
     * @param indices example indices, each in {@code [0, size())}
     * @param from first position in {@code indices}, inclusive
     * @param to last position in {@code indices}, exclusive
     * @return a data set of {@code to - from} rows in the order of {@code indices}
     */
    public Dataset batch(int[] indices, int from, int to) {
        return batch(indices, from, to, PLAIN);
    }

    /**
     * Gathers the examples {@code indices[from..to)} into new tensors, the features with
     * {@link Kernels#gatherRows}.
     *
     * @param indices example indices, each in {@code [0, size())}
     * @param from first position in {@code indices}, inclusive
     * @param to last position in {@code indices}, exclusive
     * @param kernels the kernels that copy the feature rows
     * @return a data set of {@code to - from} rows in the order of {@code indices}
     */
    public Dataset batch(int[] indices, int from, int to, Kernels kernels) {
        Objects.checkFromToIndex(from, to, indices.length);
        Tensor f = Tensor.zeros(withRows(features.shape(), to - from));
        Tensor l = Tensor.zeros(withRows(labels.shape(), to - from));
        batchInto(indices, from, to, f, l, kernels);
        return new Dataset(f, l, numClasses);
    }

    /**
     * Gathers the examples {@code indices[from..to)} into caller-owned tensors, so that a training
     * loop can reuse one pair of buffers per batch size (the last, partial batch of an epoch needs
     * its own pair).
     *
     * @param indices example indices, each in {@code [0, size())}
     * @param from first position in {@code indices}, inclusive
     * @param to last position in {@code indices}, exclusive
     * @param featuresOut shape {@code [to - from, ...]} matching the features
     * @param labelsOut shape {@code [to - from]} or {@code [to - from, k]} matching the labels
     * @throws ShapeMismatchException if an output tensor has another shape
     */
    public void batchInto(int[] indices, int from, int to, Tensor featuresOut, Tensor labelsOut) {
        batchInto(indices, from, to, featuresOut, labelsOut, PLAIN);
    }

    /**
     * As {@link #batchInto(int[], int, int, Tensor, Tensor)}, the feature rows copied by
     * {@link Kernels#gatherRows} (the SIMD provider splits large batches over its threads).
     *
     * @param indices example indices, each in {@code [0, size())}
     * @param from first position in {@code indices}, inclusive
     * @param to last position in {@code indices}, exclusive
     * @param featuresOut shape {@code [to - from, ...]} matching the features
     * @param labelsOut shape {@code [to - from]} or {@code [to - from, k]} matching the labels
     * @param kernels the kernels that copy the feature rows
     * @throws ShapeMismatchException if an output tensor has another shape
     * @throws IndexOutOfBoundsException naming an index outside {@code [0, size())}
     */
    public void batchInto(int[] indices, int from, int to, Tensor featuresOut, Tensor labelsOut, Kernels kernels) {
        Objects.checkFromToIndex(from, to, indices.length);
        int rows = to - from;
        requireShape(featuresOut, withRows(features.shape(), rows), "featuresOut");
        requireShape(labelsOut, withRows(labels.shape(), rows), "labelsOut");
        int lr = labels.rowSize();
        int n = size();
        float[] ls = labels.data(), ld = labelsOut.data();
        for (int r = 0; r < rows; r++) {
            int i = Objects.checkIndex(indices[from + r], n);
            System.arraycopy(ls, i * lr, ld, r * lr, lr);
        }
        kernels.gatherRows(rows, features.rowSize(), features.data(), indices, from, featuresOut.data());
    }

    private static void requireShape(Tensor t, int[] expected, String what) {
        if (!Arrays.equals(t.shape(), expected)) {
            throw new ShapeMismatchException(what + " has shape " + Arrays.toString(t.shape())
                    + " but the batch needs " + Arrays.toString(expected));
        }
    }

    private static int[] withRows(int[] shape, int rows) {
        shape[0] = rows;
        return shape;
    }

    @Override
    public String toString() {
        return "Dataset[n=" + size() + ", features=" + Arrays.toString(features.shape()) + ", labels="
                + Arrays.toString(labels.shape()) + ", numClasses=" + numClasses + "]";
    }
}
