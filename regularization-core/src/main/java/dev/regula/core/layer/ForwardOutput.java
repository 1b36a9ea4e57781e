package dev.regula.core.layer;

import dev.regula.api.StepContext;
import dev.regula.api.tensor.Tensor;

/**
 * Where one layer's forward writes its output, by the buffer contract of
 * {@link dev.regula.api.model.Layer}: buffers reused by TRAIN forwards, others reused by
 * exclusive EVAL forwards ({@link StepContext#exclusiveEval}), and a new tensor for every shared
 * EVAL forward, which may run on many threads at once and so touches no field. Each mode keeps
 * the buffers of its two most recent shapes, so that a pass over a data set whose last batch is
 * smaller allocates nothing from one pass to the next.
 */
final class ForwardOutput {
    private final Tensor[] train = new Tensor[2];
    private final Tensor[] eval = new Tensor[2];

    /**
     * @param ctx the forward's context
     * @param shape the output shape
     * @return the tensor to write every element of the output into (its values are arbitrary)
     */
    Tensor next(StepContext ctx, int... shape) {
        if (ctx.training()) return reuse(train, shape);
        if (ctx.exclusive()) return reuse(eval, shape);
        return Tensor.zeros(shape);
    }

    /** @return the output of the last TRAIN forward, or null before the first */
    Tensor lastTrain() {
        return train[0];
    }

    /** Slot 0 holds the most recent buffer, slot 1 the one before; a third shape evicts slot 1. */
    private static Tensor reuse(Tensor[] slots, int[] shape) {
        Tensor t = slots[0] != null && slots[0].hasShape(shape) ? slots[0]
                : slots[1] != null && slots[1].hasShape(shape) ? slots[1]
                : Tensor.zeros(shape);
        if (t != slots[0]) {
            slots[1] = slots[0];
            slots[0] = t;
        }
        return t;
    }
}
