package dev.regula.core.layer;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.StepContext;
import dev.regula.api.model.Layer;
import dev.regula.api.tensor.Tensor;

/**
 * Max pooling of NCHW feature maps (PyTorch's {@code nn.MaxPool2d} without padding): each output
 * pixel of each channel is the maximum of a kernel×kernel window of the input, windows moving by
 * {@code stride}, so [N, C, H, W] becomes [N, C, (H − k)/s + 1, (W − k)/s + 1] (rounded down).
 * Ties go to the first maximum in row-major order. Backward routes each output gradient to the
 * input position that was the maximum (overlapping windows add up), which a TRAIN forward records.
 * No parameters; shared EVAL forwards change no state, TRAIN and exclusive EVAL forwards reuse an
 * output buffer of the layer.
 */
public final class MaxPool2d implements Layer {
    private final PoolGeometry geometry;
    private final ForwardOutput output = new ForwardOutput();
    private int[] cachedShape;
    private int[] argmax = new int[0];

    /**
     * @param name the layer name, unique in the model
     * @param kernel the window side, ≥ 1
     * @param stride the step between windows, ≥ 1
     * @throws IllegalArgumentException if the kernel or the stride is out of range
     */
    public MaxPool2d(String name, int kernel, int stride) {
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
        boolean training = ctx.training();
        int[] idx = training ? (argmax = argmax.length == planes * oh * ow ? argmax : new int[planes * oh * ow]) : null;
        float[] in = input.data();
        Tensor result = output.next(ctx, s[0], s[1], oh, ow);
        float[] out = result.data();
        for (int p = 0; p < planes; p++) {
            int ib = p * h * w;
            int ob = p * oh * ow;
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    int best = ib + y * st * w + x * st;
                    float m = in[best];
                    for (int dy = 0; dy < k; dy++) {
                        int row = ib + (y * st + dy) * w + x * st;
                        for (int dx = 0; dx < k; dx++) {
                            float v = in[row + dx];
                            if (v > m || Float.isNaN(v) && !Float.isNaN(m)) {
                                m = v;
                                best = row + dx;
                            }
                        }
                    }
                    out[ob + y * ow + x] = m;
                    if (training) idx[ob + y * ow + x] = best;
                }
            }
        }
        if (training) cachedShape = s;
        return result;
    }

    /**
     * @param gradOutput ∂L/∂y, shape [N, C, OH, OW] of the last TRAIN forward
     * @param ctx the step
     * @return ∂L/∂x, shape [N, C, H, W], zero except at the recorded maxima
     */
    @Override
    public Tensor backward(Tensor gradOutput, StepContext ctx) {
        int[] s = cachedShape;
        if (s == null) throw Shapes.noForward(name());
        int[] o = geometry.outputShape(new int[] {s[1], s[2], s[3]});
        Shapes.requireGradShape(name(), gradOutput, new int[] {s[0], s[1], o[1], o[2]});
        float[] g = gradOutput.data();
        Tensor dx = Tensor.zeros(s);
        float[] gi = dx.data();
        int[] idx = argmax;
        for (int i = 0; i < g.length; i++) gi[idx[i]] += g[i];
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
        return "MaxPool2d(" + name() + ", kernel=" + kernel() + ", stride=" + stride() + ")";
    }
}
