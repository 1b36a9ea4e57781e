package dev.regula.core.layer;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.StepContext;
import dev.regula.api.model.Layer;
import dev.regula.api.tensor.Tensor;

/**
 * Average pooling of NCHW feature maps (PyTorch's {@code nn.AvgPool2d} without padding): each
 * output pixel of each channel is the mean of a kernel×kernel window of the input, windows moving
 * by {@code stride}, so [N, C, H, W] becomes [N, C, (H − k)/s + 1, (W − k)/s + 1] (rounded down).
 * Backward spreads each output gradient evenly, 1/k² to every pixel of its window (overlapping
 * windows add up); a TRAIN forward records only the input shape. No parameters; shared EVAL
 * forwards change no state, TRAIN and exclusive EVAL forwards reuse an output buffer of the layer.
 */
public final class AvgPool2d implements Layer {
    private final PoolGeometry geometry;
    private final ForwardOutput output = new ForwardOutput();
    private int[] cachedShape;

    /**
     * @param name the layer name, unique in the model
     * @param kernel the window side, ≥ 1
     * @param stride the step between windows, ≥ 1
     * @throws IllegalArgumentException if the kernel or the stride is out of range
     */
    public AvgPool2d(String name, int kernel, int stride) {
        this.geometry = new PoolGeometry(name, kernel, stride);
    }

    @Override
    public String name() {
        return geometry.layer();
    }

    /** @return the window side */
    public int kernel() {
        return geometry.kernel();
    }

    /** @return the step between windows */
    public int stride() {
        return geometry.stride();
    }

    /**
     * @param input shape [N, C, H, W] with H, W ≥ kernel
     * @param ctx the step
     * @return shape [N, C, OH, OW]
     * @throws ShapeMismatchException if the input is not NCHW or smaller than the kernel
     */
    @Override
    public Tensor forward(Tensor input, StepContext ctx) {
        int[] s = geometry.requireImageBatch(input);
        int[] o = geometry.outputShape(new int[] {s[1], s[2], s[3]});
        int planes = s[0] * s[1];
        int h = s[2];
        int w = s[3];
        int oh = o[1];
        int ow = o[2];
        int k = geometry.kernel();
        int st = geometry.stride();
        float scale = 1f / (k * k);
        float[] in = input.data();
        Tensor result = output.next(ctx, s[0], s[1], oh, ow);
        float[] out = result.data();
        for (int p = 0; p < planes; p++) {
            int ib = p * h * w;
            int ob = p * oh * ow;
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    float sum = 0f;
                    for (int dy = 0; dy < k; dy++) {
                        int row = ib + (y * st + dy) * w + x * st;
                        for (int dx = 0; dx < k; dx++) sum += in[row + dx];
                    }
                    out[ob + y * ow + x] = sum * scale;
                }
            }
        }
        if (ctx.training()) cachedShape = s;
        return result;
    }

    /**
     * @param gradOutput ∂L/∂y, shape [N, C, OH, OW] of the last TRAIN forward
     * @param ctx the step
     * @return ∂L/∂x, shape [N, C, H, W]
     */
    @Override
    public Tensor backward(Tensor gradOutput, StepContext ctx) {
        int[] s = cachedShape;
        if (s == null) throw Shapes.noForward(name());
        int[] o = geometry.outputShape(new int[] {s[1], s[2], s[3]});
        int oh = o[1];
        int ow = o[2];
        Shapes.requireGradShape(name(), gradOutput, new int[] {s[0], s[1], oh, ow});
        int planes = s[0] * s[1];
        int h = s[2];
        int w = s[3];
        int k = geometry.kernel();
        int st = geometry.stride();
        float scale = 1f / (k * k);
        float[] g = gradOutput.data();
        Tensor dx = Tensor.zeros(s);
        float[] gi = dx.data();
        for (int p = 0; p < planes; p++) {
            int ib = p * h * w;
            int ob = p * oh * ow;
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    float v = g[ob + y * ow + x] * scale;
                    for (int dy = 0; dy < k; dy++) {
                        int row = ib + (y * st + dy) * w + x * st;
                        for (int dx2 = 0; dx2 < k; dx2++) gi[row + dx2] += v;
                    }
                }
            }
        }
        return dx;
    }

    /**
     * @param inputShape [C, H, W]
     * @return [C, OH, OW]
     * @throws ShapeMismatchException if the shape is not [C, H, W] or smaller than the kernel
     */
    @Override
    public int[] outputShape(int[] inputShape) {
        return geometry.outputShape(inputShape);
    }

    @Override
    public String toString() {
        return "AvgPool2d(" + name() + ", kernel=" + kernel() + ", stride=" + stride() + ")";
    }
}
