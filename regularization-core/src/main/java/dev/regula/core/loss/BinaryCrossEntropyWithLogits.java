package dev.regula.core.loss;

import dev.regula.api.kernels.Kernels;
import dev.regula.api.loss.Loss;
import dev.regula.api.tensor.Tensor;

/**
 * Binary cross-entropy on logits, averaged over all elements (PyTorch's
 * {@code BCEWithLogitsLoss} with {@code reduction='mean'}; for the usual [batch, 1] output this is
 * the mean over the batch).
 *
 * <p>Output: logits x of any shape [batch, ...]. Target: probabilities t in [0, 1] of the same
 * shape (soft labels such as 0.9 are allowed). Per element, in the stable form
 * ℓ = max(x, 0) − x·t + log(1 + e^−|x|); the gradient is (σ(x) − t)/N, N the number of elements.
 */
public final class BinaryCrossEntropyWithLogits implements Loss {
    /** Creates the loss. */
    public BinaryCrossEntropyWithLogits() {
    }

    @Override
    public String name() {
        return "binary-cross-entropy-with-logits";
    }

    /**
     * @throws dev.regula.api.ShapeMismatchException if target or gradOutput do not have the output's shape
     * @throws IllegalArgumentException naming the index of a target outside [0, 1]
     */
    @Override
    public double compute(Tensor output, Tensor target, Tensor gradOutput, Kernels kernels) {
        Losses.requireNonEmpty(name(), output);
        Losses.requireSameShape(name(), output, target, "target");
        Losses.requireSameShape(name(), output, gradOutput, "gradOutput");
        float[] x = output.data();
        float[] t = target.data();
        float[] g = gradOutput.data();
        double invN = 1.0 / x.length;
        double total = 0;
        for (int i = 0; i < x.length; i++) {
            double xi = x[i];
            double ti = t[i];
            if (!(ti >= 0 && ti <= 1)) {
                throw new IllegalArgumentException(name() + ": target " + t[i] + " at index " + i
                        + " is not a probability; allowed: [0, 1]");
            }
            double e = Math.exp(-Math.abs(xi)); // e^−x for x ≥ 0, e^x below: σ(x) in its stable form needs no second exp
            total += Math.max(xi, 0) - xi * ti + Math.log1p(e);
            double sig = xi >= 0 ? 1 / (1 + e) : e / (1 + e);
            g[i] = (float) ((sig - ti) * invN);
        }
        return total * invN;
    }

    @Override
    public String toString() {
        return name();
    }
}
