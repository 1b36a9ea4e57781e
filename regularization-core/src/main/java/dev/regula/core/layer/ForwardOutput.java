package dev.regula.core.layer;

import dev.regula.api.StepContext;
import dev.regula.api.tensor.Tensor;

/**
 * Where one layer's forward writes its output, by the buffer contract of
 * {@link dev.regula.api.model.Layer}: a buffer reused by TRAIN forwards, another reused by
 * exclusive EVAL forwards ({@link StepContext#exclusiveEval}), and a new tensor for every shared
 * EVAL forward, which may run on many threads at once and so touches no field. Scratch arrays
 * besides the output follow the same rule ({@link ForwardScratch}).
 */
final class ForwardOutput {
    private Tensor train;
    private Tensor eval;

    /**
     * @param ctx the forward's context
     * @param shape the output shape
     * @return the tensor to write every element of the output into (its values are arbitrary)
     */
    Tensor next(StepContext ctx, int... shape) {
        if (ctx.training()) return train = Tensor.reuse(train, shape);
        if (ctx.exclusive()) return eval = Tensor.reuse(eval, shape);
        return Tensor.zeros(shape);
    }

    /** @return the output of the last TRAIN forward, or null before the first */
    Tensor lastTrain() {
        return train;
    }
}
