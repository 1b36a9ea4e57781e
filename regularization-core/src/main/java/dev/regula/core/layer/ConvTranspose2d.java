package dev.regula.core.layer;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.StepContext;
import dev.regula.api.kernels.Kernels;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.tensor.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A 2-D transposed convolution (PyTorch's {@code nn.ConvTranspose2d} with square kernels, equal
 * stride and padding in both directions, no output padding), on batches of shape [batch, in, H, W].
 *
 * <p>It is the adjoint of {@link Conv2d} with the same weight: the output [batch, out, OH, OW] has
 * OH = (H − 1)·stride − 2·padding + kernel, and OW likewise. The weight has PyTorch's layout
 * [in, out, kernel, kernel] and is named {@code <name>.weight} (role {@link ParameterRole#WEIGHT});
 * the bias [out] is {@code <name>.bias} (role {@link ParameterRole#BIAS}). Initialisation is
 * PyTorch's default, whose fan-in is taken from weight dimension 1: weight and bias uniform in
 * [−1/√(out·k·k), 1/√(out·k·k)], drawn from a {@link SplittableRandom} seeded with {@code seed},
 * weight first in row-major order.
 *
 * <p>Forward is one GEMM producing the patch matrix [out·k·k, batch·H·W] followed by a col2im
 * scatter; backward is an im2col of the gradient and two GEMMs. In TRAIN mode the channel-major
 * input is kept for backward and the scratch buffers are reused across steps, as they are
 * (separately) by exclusive EVAL forwards; a shared EVAL forward allocates its own buffers and
 * changes no state, so it may be called from many threads.
 */
public final class ConvTranspose2d extends ConvolutionLayer {
    private int[] cachedShape;
    private final ForwardScratch inputT = new ForwardScratch();
    private final ForwardScratch cols = new ForwardScratch();
    private final ForwardOutput output = new ForwardOutput();
    private float[] gradInputT;

    /**
     * @param name the layer name, unique in the model, without '.', '#' or whitespace
     * @param inChannels input channels, ≥ 1
     * @param outChannels output channels, ≥ 1
     * @param kernel kernel height and width, ≥ 1
     * @param stride stride, ≥ 1
     * @param padding padding removed from each side of the output, ≥ 0
     * @param seed seed of the initialisation
     */
    public ConvTranspose2d(String name, int inChannels, int outChannels, int kernel, int stride, int padding, long seed) {
        super(name, inChannels, outChannels, kernel, stride, padding,
                new int[] {inChannels, outChannels, kernel, kernel}, outChannels * kernel * kernel, seed);
    }

    /**
     * @param input shape [batch, in, H, W]
     * @param ctx the step; its kernels compute the product
     * @return shape [batch, out, OH, OW]
     * @throws ShapeMismatchException naming this layer, the expected and the actual shape
     */
    @Override
    public Tensor forward(Tensor input, StepContext ctx) {
        int[] s = requireImageBatch(input);
        int[] o = outputShape(new int[] {s[1], s[2], s[3]});
        int batch = s[0];
        int plane = s[2] * s[3];
        int cols2 = batch * plane;
        int patch = out * kernel * kernel;
        float[] xt = inputT.next(ctx, in * cols2);
        float[] c = cols.next(ctx, patch * cols2);
        Im2Col.toChannelMajor(input.data(), batch, in, plane, xt);
        ctx.kernels().gemm(true, false, patch, cols2, in, 1f, weight.value().data(), 0, patch, xt, 0, cols2,
                0f, c, 0, cols2);
        Tensor y = output.next(ctx, batch, out, o[1], o[2]);
        float[] yd = y.data();
        Arrays.fill(yd, 0f); // col2im adds into it
        Im2Col.col2im(c, batch, out, o[1], o[2], kernel, stride, padding, s[2], s[3], yd);
        addBias(yd, batch, o[1] * o[2]);
        if (ctx.training()) cachedShape = s;
        return y;
    }

    private void addBias(float[] y, int batch, int plane) {
        float[] b = bias.value().data();
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < out; c++) {
                float v = b[c];
                int off = (n * out + c) * plane;
                for (int i = 0; i < plane; i++) y[off + i] += v;
            }
        }
    }

    /**
     * Adds x·patches(g)ᵀ to the weight gradient and the per-channel sums of g to the bias gradient.
     *
     * @param gradOutput ∂L/∂y, shape [batch, out, OH, OW] of the last TRAIN forward
     * @param ctx the step
     * @return ∂L/∂x, shape [batch, in, H, W]
     */
    @Override
    public Tensor backward(Tensor gradOutput, StepContext ctx) {
        int[] s = cachedShape;
        if (s == null) throw Shapes.noForward(name);
        int[] o = outputShape(new int[] {s[1], s[2], s[3]});
        int batch = s[0];
        Shapes.requireGradShape(name, gradOutput, new int[] {batch, out, o[1], o[2]});
        int plane = s[2] * s[3];
        int cols2 = batch * plane;
        int patch = out * kernel * kernel;
        Kernels k = ctx.kernels();
        float[] g = gradOutput.data();
        Im2Col.addChannelSums(g, batch, out, o[1] * o[2], bias.grad().data());
        float[] c = cols.lastTrain();
        Im2Col.im2col(g, batch, out, o[1], o[2], kernel, stride, padding, s[2], s[3], c);
        float beta = weight.gradientBeta(); // 0 right after zeroGrad: overwrite, no clearing pass
        k.gemm(false, true, in, patch, cols2, 1f, inputT.lastTrain(), 0, cols2, c, 0, cols2, beta, weight.grad().data(), 0, patch);
        float[] gt = gradInputT = Im2Col.atLeast(gradInputT, in * cols2);
        k.gemm(false, false, in, cols2, patch, 1f, weight.value().data(), 0, patch, c, 0, cols2, 0f, gt, 0, cols2);
        Tensor dx = Tensor.zeros(s);
        Im2Col.toBatchMajor(gt, batch, in, plane, null, dx.data());
        return dx;
    }

    /**
     * @param inputShape [in, H, W]
     * @return [out, OH, OW]
     * @throws ShapeMismatchException if the shape is not [in, H, W] or the output would be empty
     */
    @Override
    public int[] outputShape(int[] inputShape) {
        requireImage(inputShape);
        int oh = (inputShape[1] - 1) * stride - 2 * padding + kernel;
        int ow = (inputShape[2] - 1) * stride - 2 * padding + kernel;
        if (inputShape[1] < 1 || inputShape[2] < 1 || oh < 1 || ow < 1) {
            throw new ShapeMismatchException("layer '" + name + "': examples of shape " + Arrays.toString(inputShape)
                    + " give an empty output with kernel " + kernel + ", stride " + stride + " and padding " + padding
                    + "; (size − 1)·stride − 2·padding + kernel must be >= 1");
        }
        return new int[] {out, oh, ow};
    }
}
