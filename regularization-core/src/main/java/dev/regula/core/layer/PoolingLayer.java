package dev.regula.core.layer;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.StepContext;
import dev.regula.api.kernels.Kernels;
import dev.regula.api.kernels.PoolGeometry;
import dev.regula.api.model.Layer;
import dev.regula.api.tensor.Tensor;
import java.util.Arrays;

/**
 * What {@link MaxPool2d} and {@link AvgPool2d} share: a square kernel moved by a stride over each
 * channel of an NCHW batch without padding, so OH = (H − kernel)/stride + 1 (rounded down, as
 * PyTorch's default {@code ceil_mode=False}) and OW likewise; the checks of arguments and shapes;
 * the output buffers of {@link ForwardOutput}; and an input-gradient buffer sized on the first
 * backward and reused while the shape stays the same. The numbers are computed by the pooling
 * kernels of {@link Kernels} ({@link PoolGeometry}).
 *
 * <p>Threads: TRAIN forwards and backward use the layer's fields, so one thread at a time trains a
 * layer (as for every layer); shared EVAL forwards touch no field. The tensor backward returns is
 * overwritten by the next backward of the layer.
 */
abstract sealed class PoolingLayer implements Layer permits MaxPool2d, AvgPool2d {
    /** Largest accepted kernel or stride. */
    static final int MAX = 1 << 12;

    private final String name;
    private final int kernel;
    private final int stride;
    private final ForwardOutput output = new ForwardOutput();
    private PoolGeometry cached;
    private Tensor inputGradient;

    PoolingLayer(String name, int kernel, int stride) {
        this.name = Shapes.checkName(name);
        if (kernel < 1 || kernel > MAX) {
            throw new IllegalArgumentException("layer '" + name + "': pooling kernel must be in [1, " + MAX + "], got " + kernel);
        }
        if (stride < 1 || stride > MAX) {
            throw new IllegalArgumentException("layer '" + name + "': pooling stride must be in [1, " + MAX + "], got " + stride);
        }
        this.kernel = kernel;
        this.stride = stride;
    }

    @Override
    public final String name() {
        return name;
    }

    /** @return the window side */
    public final int kernel() {
        return kernel;
    }

    /** @return the step between windows */
    public final int stride() {
        return stride;
    }

    /**
     * @param input shape [N, C, H, W] with H, W ≥ kernel
     * @param ctx the step
     * @return shape [N, C, OH, OW]
     * @throws ShapeMismatchException if the input is not NCHW or smaller than the kernel
     */
    @Override
    public final Tensor forward(Tensor input, StepContext ctx) {
        if (input.rank() != 4) {
            throw new ShapeMismatchException("layer '" + name + "': expects NCHW input of rank 4, got shape "
                    + Arrays.toString(input.shape()));
        }
        int[] s = input.shape();
        int[] o = outputShape(new int[] {s[1], s[2], s[3]});
        PoolGeometry g = new PoolGeometry(s[0], s[1], s[2], s[3], kernel, stride);
        Tensor y = output.next(ctx, s[0], s[1], o[1], o[2]);
        pool(ctx.kernels(), g, input.data(), y.data(), ctx.training());
        if (ctx.training()) cached = g;
        return y;
    }

    /**
     * @param gradOutput ∂L/∂y, shape [N, C, OH, OW] of the last TRAIN forward
     * @param ctx the step
     * @return ∂L/∂x, shape [N, C, H, W], in a buffer of the layer that its next backward overwrites
     */
    @Override
    public final Tensor backward(Tensor gradOutput, StepContext ctx) {
        PoolGeometry g = cached;
        if (g == null) throw Shapes.noForward(name);
        Shapes.requireGradShape(name, gradOutput, new int[] {g.batch(), g.channels(), g.outHeight(), g.outWidth()});
        Tensor dx = inputGradient = Tensor.reuse(inputGradient, g.batch(), g.channels(), g.height(), g.width());
        unpool(ctx.kernels(), g, gradOutput.data(), dx.data());
        return dx;
    }

    /**
     * @param inputShape [C, H, W]
     * @return [C, OH, OW]
     * @throws ShapeMismatchException if the shape is not [C, H, W] or smaller than the kernel
     */
    @Override
    public final int[] outputShape(int[] inputShape) {
        if (inputShape.length != 3) {
            throw new ShapeMismatchException("layer '" + name + "': expects examples of shape [C, H, W], got "
                    + Arrays.toString(inputShape));
        }
        if (inputShape[1] < kernel || inputShape[2] < kernel) {
            throw new ShapeMismatchException("layer '" + name + "': examples of shape " + Arrays.toString(inputShape)
                    + " are smaller than the pooling kernel " + kernel + "; height and width must be >= kernel");
        }
        return new int[] {inputShape[0], (inputShape[1] - kernel) / stride + 1, (inputShape[2] - kernel) / stride + 1};
    }

    /**
     * Computes the output of one forward.
     *
     * @param k the step's kernels
     * @param g the geometry
     * @param x the input
     * @param y the output, overwritten
     * @param training whether this is a TRAIN forward (which may record what backward needs)
     */
    abstract void pool(Kernels k, PoolGeometry g, float[] x, float[] y, boolean training);

    /**
     * Computes the input gradient of the last TRAIN forward.
     *
     * @param k the step's kernels
     * @param g the geometry of that forward
     * @param gy the output gradient
     * @param gx the input gradient, overwritten
     */
    abstract void unpool(Kernels k, PoolGeometry g, float[] gy, float[] gx);

    @Override
    public final String toString() {
        return getClass().getSimpleName() + "(" + name + ", kernel=" + kernel + ", stride=" + stride + ")";
    }
}
