package dev.regula.core.layer;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.StepContext;
import dev.regula.api.model.Layer;
import dev.regula.api.tensor.Tensor;
import java.util.Arrays;

/**
 * Nearest-neighbour upsampling of NCHW feature maps by an integer factor f: output pixel (y, x) of
 * each channel copies input pixel (y / f, x / f), so [N, C, H, W] becomes [N, C, f·H, f·W].
 * Followed by a 3×3 convolution it is the usual replacement of a strided transposed convolution that
 * avoids checkerboard artifacts (Odena et al. 2016). Backward sums the gradient over each f×f block.
 * No parameters; shared EVAL forwards change no state, TRAIN and exclusive EVAL forwards reuse an
 * output buffer of the layer, and backward an input-gradient buffer that its next backward
 * overwrites (one thread at a time trains a layer).
 */
public final class Upsample2d implements Layer {
    private final String name;
    private final int factor;
    private int[] cachedShape;
    private final ForwardOutput output = new ForwardOutput();
    private Tensor inputGradient;

    /**
     * @param name the layer name, unique in the model
     * @param factor the upsampling factor, ≥ 1
     * @throws IllegalArgumentException if the factor is below 1
     */
    public Upsample2d(String name, int factor) {
        this.name = Shapes.checkName(name);
        if (factor < 1) throw new IllegalArgumentException(name + ": the upsampling factor must be >= 1, got " + factor);
        this.factor = factor;
    }

    @Override
    public String name() {
        return name;
    }

    /** @return the upsampling factor */
    public int factor() {
        return factor;
    }

    @Override
    public Tensor forward(Tensor input, StepContext ctx) {
        if (input.rank() != 4) {
            throw new ShapeMismatchException(name + ": expects NCHW input of rank 4, got shape "
                    + Arrays.toString(input.shape()));
        }
        int planes = input.dim(0) * input.dim(1);
        int h = input.dim(2);
        int w = input.dim(3);
        int oh = h * factor;
        int ow = w * factor;
        float[] in = input.data();
        Tensor result = output.next(ctx, input.dim(0), input.dim(1), oh, ow);
        float[] out = result.data();
        for (int p = 0; p < planes; p++) {
            int ib = p * h * w;
            int ob = p * oh * ow;
            for (int y = 0; y < oh; y++) {
                int irow = ib + (y / factor) * w;
                int orow = ob + y * ow;
                for (int x = 0; x < ow; x++) out[orow + x] = in[irow + x / factor];
            }
        }
        if (ctx.training()) cachedShape = input.shape();
        return result;
    }

    @Override
    public Tensor backward(Tensor gradOutput, StepContext ctx) {
        int[] shape = cachedShape;
        if (shape == null) throw Shapes.noForward(name);
        int h = shape[2];
        int w = shape[3];
        int oh = h * factor;
        int ow = w * factor;
        Shapes.requireGradShape(name, gradOutput, new int[] {shape[0], shape[1], oh, ow});
        int planes = shape[0] * shape[1];
        float[] g = gradOutput.data();
        Tensor dx = inputGradient = Tensor.reuse(inputGradient, shape);
        float[] gi = dx.data();
        Arrays.fill(gi, 0f);
        for (int p = 0; p < planes; p++) {
            int ib = p * h * w;
            int ob = p * oh * ow;
            for (int y = 0; y < oh; y++) {
                int irow = ib + (y / factor) * w;
                int orow = ob + y * ow;
                for (int x = 0; x < ow; x++) gi[irow + x / factor] += g[orow + x];
            }
        }
        return dx;
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        if (inputShape.length != 3) {
            throw new ShapeMismatchException(name + ": expects an example shape [C, H, W], got "
                    + Arrays.toString(inputShape));
        }
        return new int[] {inputShape[0], inputShape[1] * factor, inputShape[2] * factor};
    }

    @Override
    public String toString() {
        return "Upsample2d(" + name + ", factor=" + factor + ")";
    }
}
