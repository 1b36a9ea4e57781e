package dev.regula.core.layer;

import dev.regula.api.StepContext;
import dev.regula.api.model.Layer;
import dev.regula.api.tensor.Tensor;

/**
 * A layer that can run its backward pass without computing ∂L/∂input, for callers that do not
 * need it: the first layer of a model, whose input is the data. For a dense layer this saves the
 * product g·W, a third of its backward work (a 128×784×256 GEMM per step in the Fashion-MNIST MLP).
 *
 * <p>{@link Sequential} uses it for its first layer when it is itself asked for parameter
 * gradients only, and {@link dev.regula.core.train.Trainer} asks the model for exactly that, since
 * nobody uses the gradient with respect to the data. Layers that do not implement this interface
 * are simply run with {@link Layer#backward}. The decision is made per call, so the same layer
 * object may sit first in one model and deeper in another.
 */
public interface ParameterBackward extends Layer {
    /**
     * Does what {@link #backward(Tensor, StepContext)} does to the parameter gradients (adds
     * ∂L/∂θ into every {@link dev.regula.api.param.Parameter#grad()}, same preconditions, same
     * caches consumed) but computes and returns no input gradient.
     *
     * @param gradOutput ∂L/∂output for the batch of the last TRAIN forward
     * @param ctx the same step
     */
    void backwardParameters(Tensor gradOutput, StepContext ctx);

    /**
     * Runs the parameter-only backward of {@code layer} when it offers one, else its full
     * {@link Layer#backward} (whose result is dropped).
     *
     * @param layer any layer
     * @param gradOutput ∂L/∂output
     * @param ctx the step
     */
    static void backwardParametersOf(Layer layer, Tensor gradOutput, StepContext ctx) {
        if (layer instanceof ParameterBackward p) {
            p.backwardParameters(gradOutput, ctx);
        } else {
            layer.backward(gradOutput, ctx);
        }
    }
}
