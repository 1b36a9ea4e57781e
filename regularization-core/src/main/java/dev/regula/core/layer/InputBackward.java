package dev.regula.core.layer;

import dev.regula.api.StepContext;
import dev.regula.api.model.Layer;
import dev.regula.api.tensor.Tensor;

/**
 * A layer that can run its backward pass for ∂L/∂input alone, without its parameter gradients,
 * for callers that only need the gradient with respect to the input: a GAN's generator step
 * backpropagates through the discriminator to the images and discards the discriminator's own
 * gradients. For a convolution this saves the weight-gradient product (and its patch matrix),
 * half of its backward work. The counterpart of {@link ParameterBackward}.
 *
 * <p>{@link Sequential} implements it by running every layer this way. Layers that do not
 * implement it are run with {@link Layer#backward} by {@link #backwardInputOf}, which then adds
 * their parameter gradients as usual; a caller of this pass must therefore treat the parameter
 * gradients as unspecified afterwards (zero them before they are next used).
 */
public interface InputBackward extends Layer {
    /**
     * Returns what {@link #backward(Tensor, StepContext)} returns, computed the same way (the
     * same bits), and consumes the same caches, but leaves the parameter gradients untouched.
     *
     * @param gradOutput ∂L/∂output for the batch of the last TRAIN forward
     * @param ctx the same step
     * @return ∂L/∂input, with {@link Layer#backward}'s ownership rules
     */
    Tensor backwardInput(Tensor gradOutput, StepContext ctx);

    /**
     * Runs the input-only backward of {@code layer} when it offers one, else its full
     * {@link Layer#backward} (which also adds its parameter gradients).
     *
     * @param layer any layer
     * @param gradOutput ∂L/∂output
     * @param ctx the step
     * @return ∂L/∂input
     */
    static Tensor backwardInputOf(Layer layer, Tensor gradOutput, StepContext ctx) {
        return layer instanceof InputBackward b ? b.backwardInput(gradOutput, ctx) : layer.backward(gradOutput, ctx);
    }
}
