package dev.regula.api.loss;

import dev.regula.api.kernels.Kernels;
import dev.regula.api.tensor.Tensor;

/**
 * A data loss, averaged over the batch.
 *
 * <p>Targets: class indices stored as floats, shape [batch], for softmax cross-entropy;
 * a tensor of the output's shape for binary cross-entropy and mean squared error.
 */
public interface Loss {
    /** @return the loss name, e.g. {@code softmax-cross-entropy} */
    String name();

    /**
     * Computes the mean loss over the batch and its gradient.
     *
     * @param output the model output (logits for the cross-entropies), shape [batch, n]
     * @param target the targets (see the class comment)
     * @param gradOutput receives ∂loss/∂output, same shape as output (overwritten)
     * @param kernels kernels to compute with
     * @return the mean loss
     * @throws dev.regula.api.ShapeMismatchException if the shapes do not fit
     */
    double compute(Tensor output, Tensor target, Tensor gradOutput, Kernels kernels);
}
