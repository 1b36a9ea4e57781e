package dev.regula.core.layer;

import dev.regula.api.StepContext;
import dev.regula.api.kernels.Kernels;
import dev.regula.api.model.Layer;
import dev.regula.api.tensor.Tensor;

/**
 * Base of the parameter-free layers that map each batch to an output of the same shape. It owns
 * the TRAIN-mode cache (input and output of the last TRAIN forward), the buffers reused from one
 * TRAIN step to the next (see {@link Layer}) and the shape checks; subclasses supply the function
 * and its derivative, which write every element of their output. Shared EVAL forwards touch no field.
 */
abstract class Elementwise implements Layer {
    private final String name;
    private Tensor cachedInput;
    private final ForwardOutput output = new ForwardOutput();
    private Tensor inputGradient;

    Elementwise(String name) {
        this.name = Shapes.checkName(name);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Tensor forward(Tensor input, StepContext ctx) {
        Shapes.requireBatched(name, input);
        Tensor y = output.next(ctx, input.shape());
        apply(input.data(), y.data(), input, ctx.kernels());
        if (ctx.training()) cachedInput = input;
        return y;
    }

    @Override
    public final Tensor backward(Tensor gradOutput, StepContext ctx) {
        Tensor x = cachedInput;
        if (x == null) throw Shapes.noForward(name);
        Shapes.requireGradShape(name, gradOutput, x.shape());
        Tensor gin = inputGradient = Tensor.reuse(inputGradient, x.shape());
        gradient(x.data(), output.lastTrain().data(), gradOutput.data(), gin.data(), x, ctx.kernels());
        return gin;
    }

    @Override
    public final int[] outputShape(int[] inputShape) {
        return inputShape.clone();
    }

    /**
     * Computes the output.
     *
     * @param x input values
     * @param y receives the output values (same length)
     * @param input the input tensor, for its shape
     * @param k kernels
     */
    abstract void apply(float[] x, float[] y, Tensor input, Kernels k);

    /**
     * Computes ∂L/∂x.
     *
     * @param x the forward input
     * @param y the forward output
     * @param g ∂L/∂y
     * @param gin receives ∂L/∂x
     * @param input the input tensor, for its shape
     * @param k kernels
     */
    abstract void gradient(float[] x, float[] y, float[] g, float[] gin, Tensor input, Kernels k);

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + name + ")";
    }
}
