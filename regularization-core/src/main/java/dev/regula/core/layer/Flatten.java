package dev.regula.core.layer;

import dev.regula.api.StepContext;
import dev.regula.api.model.Layer;
import dev.regula.api.tensor.Tensor;

/**
 * Reshapes a batch [batch, d1, d2, ...] to [batch, d1·d2·...] without copying (the output is a
 * view sharing the input's data). Backward reshapes the gradient back to the shape of the last
 * TRAIN forward's input. EVAL forwards change no state.
 */
public final class Flatten implements Layer {
    private final String name;
    private int[] cachedShape;

    /** @param name the layer name, unique in the model */
    public Flatten(String name) {
        this.name = Shapes.checkName(name);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Tensor forward(Tensor input, StepContext ctx) {
        Shapes.requireBatched(name, input);
        int batch = input.dim(0);
        Tensor y = input.reshape(batch, batch == 0 ? Tensor.sizeOf(tail(input.shape())) : input.size() / batch);
        if (ctx.training()) cachedShape = input.shape();
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOutput, StepContext ctx) {
        int[] shape = cachedShape;
        if (shape == null) throw Shapes.noForward(name);
        Shapes.requireGradShape(name, gradOutput, new int[] {shape[0], Tensor.sizeOf(tail(shape))});
        return gradOutput.reshape(shape);
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        return new int[] {Tensor.sizeOf(inputShape)};
    }

    private static int[] tail(int[] shape) {
        return java.util.Arrays.copyOfRange(shape, 1, shape.length);
    }

    @Override
    public String toString() {
        return "Flatten(" + name + ")";
    }
}
