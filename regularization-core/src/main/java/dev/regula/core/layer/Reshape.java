package dev.regula.core.layer;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.StepContext;
import dev.regula.api.model.Layer;
import dev.regula.api.tensor.Tensor;
import java.util.Arrays;

/**
 * Reshapes every example to a fixed shape, e.g. [batch, 2048] to [batch, 128, 4, 4], without
 * copying (the output is a view sharing the input's data). The example must keep its number of
 * values. Backward reshapes the gradient back to the shape of the last TRAIN forward's input.
 * EVAL forwards change no state.
 */
public final class Reshape implements Layer {
    private final String name;
    private final int[] exampleShape;
    private final int exampleSize;
    private int[] cachedShape;

    /**
     * @param name the layer name, unique in the model
     * @param exampleShape the shape of one output example, each dimension ≥ 1
     */
    public Reshape(String name, int... exampleShape) {
        this.name = Shapes.checkName(name);
        if (exampleShape.length == 0 || Arrays.stream(exampleShape).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("layer '" + name + "': the example shape needs at least one dimension,"
                    + " each >= 1, got " + Arrays.toString(exampleShape));
        }
        this.exampleShape = exampleShape.clone();
        this.exampleSize = Tensor.sizeOf(exampleShape);
    }

    @Override
    public String name() {
        return name;
    }

    /** @return the shape of one output example (a copy) */
    public int[] exampleShape() {
        return exampleShape.clone();
    }

    /**
     * @param input a batch whose examples have {@code exampleSize} values in total
     * @param ctx the step
     * @return a view of shape [batch, exampleShape...]
     * @throws ShapeMismatchException if the examples do not have that many values
     */
    @Override
    public Tensor forward(Tensor input, StepContext ctx) {
        Shapes.requireBatched(name, input);
        int[] s = input.shape();
        outputShape(Arrays.copyOfRange(s, 1, s.length));
        int[] target = new int[exampleShape.length + 1];
        target[0] = s[0];
        System.arraycopy(exampleShape, 0, target, 1, exampleShape.length);
        Tensor y = input.reshape(target);
        if (ctx.training()) cachedShape = s;
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOutput, StepContext ctx) {
        int[] s = cachedShape;
        if (s == null) throw Shapes.noForward(name);
        int[] target = new int[exampleShape.length + 1];
        target[0] = s[0];
        System.arraycopy(exampleShape, 0, target, 1, exampleShape.length);
        Shapes.requireGradShape(name, gradOutput, target);
        return gradOutput.reshape(s);
    }

    /**
     * @param inputShape the shape of one input example
     * @return the example shape given at construction
     * @throws ShapeMismatchException if the number of values differs
     */
    @Override
    public int[] outputShape(int[] inputShape) {
        if (Tensor.sizeOf(inputShape) != exampleSize) {
            throw new ShapeMismatchException("layer '" + name + "' reshapes examples of " + exampleSize
                    + " values to " + Arrays.toString(exampleShape) + " but got examples of shape "
                    + Arrays.toString(inputShape) + " (" + Tensor.sizeOf(inputShape) + " values)");
        }
        return exampleShape.clone();
    }

    @Override
    public String toString() {
        return "Reshape(" + name + ", " + Arrays.toString(exampleShape) + ")";
    }
}
