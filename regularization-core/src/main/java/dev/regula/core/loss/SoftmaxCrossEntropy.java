package dev.regula.core.loss;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.kernels.Kernels;
import dev.regula.api.loss.Loss;
import dev.regula.api.tensor.Tensor;
import java.util.Arrays;

/**
 * Softmax cross-entropy on logits, averaged over the batch (PyTorch's {@code CrossEntropyLoss}
 * with {@code reduction='mean'}).
 *
 * <p>Output: logits, shape [batch, K]. Target: class indices stored as floats, shape [batch], each
 * a whole number in [0, K). With label smoothing ε the target distribution is
 * q = (1 − ε)·onehot + ε/K, as in PyTorch, and the loss is −Σₖ qₖ·log softmax(x)ₖ, computed
 * with a stable log-sum-exp in double precision. The gradient is (softmax(x) − q)/batch.
 */
public final class SoftmaxCrossEntropy implements Loss {
    private final double labelSmoothing;

    /** Without label smoothing. */
    public SoftmaxCrossEntropy() {
        this(0);
    }

    /** @param labelSmoothing ε in [0, 1] */
    public SoftmaxCrossEntropy(double labelSmoothing) {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1], got " + labelSmoothing);
        }
        this.labelSmoothing = labelSmoothing;
    }

    /** @return ε */
    public double labelSmoothing() {
        return labelSmoothing;
    }

    @Override
    public String name() {
        return "softmax-cross-entropy";
    }

    /**
     * @throws ShapeMismatchException if output is not [batch, K] with K ≥ 1, target not [batch],
     *     or gradOutput not the output's shape
     * @throws IllegalArgumentException naming the row for a label that is not a whole number in [0, K)
     */
    @Override
    public double compute(Tensor output, Tensor target, Tensor gradOutput, Kernels kernels) {
        if (output.rank() != 2 || output.dim(0) < 1 || output.dim(1) < 1) {
            throw new ShapeMismatchException(name() + ": expected logits of shape [batch, classes] with batch, classes >= 1, got "
                    + Arrays.toString(output.shape()));
        }
        int batch = output.dim(0);
        int k = output.dim(1);
        if (target.rank() != 1 || target.dim(0) != batch) {
            throw new ShapeMismatchException(name() + ": expected targets of shape [" + batch
                    + "] (class indices as floats) but got " + Arrays.toString(target.shape()));
        }
        Losses.requireSameShape(name(), output, gradOutput, "gradOutput");
        float[] x = output.data();
        float[] t = target.data();
        float[] g = gradOutput.data();
        double off = labelSmoothing / k;
        double on = 1 - labelSmoothing + off;
        double invBatch = 1.0 / batch;
        double total = 0;
        double[] e = new double[k]; // exp(x − max) of a row, computed once for the sum and the softmax
        for (int r = 0; r < batch; r++) {
            float label = t[r];
            if (!(label >= 0 && label < k) || label != Math.rint(label)) {
                throw new IllegalArgumentException(name() + ": target " + label + " in row " + r
                        + " is not a class index; allowed: whole numbers in [0, " + k + ")");
            }
            int y = (int) label;
            int o = r * k;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) max = Math.max(max, x[o + c]);
            double sum = 0;
            for (int c = 0; c < k; c++) sum += e[c] = Math.exp(x[o + c] - max);
            double logSum = max + Math.log(sum);
            double invSum = 1 / sum;
            double loss = 0;
            for (int c = 0; c < k; c++) {
                double q = c == y ? on : off;
                if (q != 0) loss -= q * (x[o + c] - logSum);
                g[o + c] = (float) ((e[c] * invSum - q) * invBatch);
            }
            total += loss;
        }
        return total * invBatch;
    }

    @Override
    public String toString() {
        return name() + "(label_smoothing=" + labelSmoothing + ")";
    }
}
