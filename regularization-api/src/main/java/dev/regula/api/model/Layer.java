package dev.regula.api.model;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * A differentiable building block. Activations are tensors whose first dimension is the batch.
 *
 * <p>Contract: in {@link dev.regula.api.Mode#TRAIN} mode {@link #forward} may cache what
 * {@link #backward} needs; backward must follow the forward of the same batch, adds the
 * parameter gradients into {@link Parameter#grad()} and returns ∂L/∂input. In
 * {@link dev.regula.api.Mode#EVAL} mode forward must not change any state visible to other
 * callers, so that a trained model can serve inference from many threads at once.
 *
 * <p>Outputs of TRAIN-mode calls may be buffers that the layer owns and overwrites at its next
 * TRAIN forward (for forward's output) or backward (for backward's result), as a training step
 * consumes each result before the next step: allocating and zeroing fresh arrays every step
 * costs more than the element-wise work on them. A caller that keeps a TRAIN-mode result
 * across steps must copy it. Outputs of a shared EVAL forward ({@link StepContext#eval}) are
 * always new tensors (or the input itself, for layers that are the identity in EVAL). An
 * exclusive EVAL forward ({@link StepContext#exclusiveEval}) may instead return a buffer of the
 * layer's own that it overwrites at its next exclusive EVAL forward; that buffer must not be one
 * of its TRAIN buffers, which backward may still need. Shape errors throw
 * {@link dev.regula.api.ShapeMismatchException} naming the layer.
 */
public interface Layer {
    /** @return a name unique within the model, e.g. {@code dense1} */
    String name();

    /**
     * @param input a batch, shape [batch, ...]
     * @param ctx mode, step, seed and kernels
     * @return the output batch
     */
    Tensor forward(Tensor input, StepContext ctx);

    /**
     * @param gradOutput ∂L/∂output for the batch of the last TRAIN forward
     * @param ctx the same step
     * @return ∂L/∂input
     */
    Tensor backward(Tensor gradOutput, StepContext ctx);

    /** @return trainable parameters, empty for parameter-free layers */
    default List<Parameter> parameters() {
        return List.of();
    }

    /**
     * Non-trainable state that training changes and that a checkpoint must keep for a run to
     * continue exactly, such as BatchNorm's running statistics: tensors by a name unique within
     * the model, PyTorch's buffer names {@code <layer>.<buffer>} ({@code bn1.running_mean}). The
     * tensors are live: restoring a checkpoint copies the saved values into them. A layer made
     * of layers returns its children's state.
     *
     * @return the state tensors by name, in a stable order; empty (the default) for stateless layers
     */
    default Map<String, Tensor> state() {
        return Map.of();
    }

    /** @return true for element-wise activation functions (ReLU, Tanh, ...), after which dropout goes by default */
    default boolean isActivation() {
        return false;
    }

    /**
     * @param inputShape the shape of one example (without the batch dimension)
     * @return the shape of one output example
     */
    int[] outputShape(int[] inputShape);
}
