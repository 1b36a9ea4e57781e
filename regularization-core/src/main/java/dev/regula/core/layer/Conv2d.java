package dev.regula.core.layer;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.StepContext;
import dev.regula.api.kernels.Kernels;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.tensor.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A 2-D convolution (cross-correlation, as PyTorch's {@code nn.Conv2d}) with square kernels,
 * equal stride and zero padding in both directions, on batches of shape [batch, in, H, W].
 *
 * <p>The output has shape [batch, out, OH, OW] with OH = (H + 2·padding − kernel)/stride + 1
 * (rounded down) and OW likewise. The weight has PyTorch's layout [out, in, kernel, kernel] and is
 * named {@code <name>.weight} (role {@link ParameterRole#WEIGHT}); the bias [out] is
 * {@code <name>.bias} (role {@link ParameterRole#BIAS}). Initialisation is PyTorch's default:
 * weight and bias uniform in [−1/√(in·k·k), 1/√(in·k·k)], drawn from a {@link SplittableRandom}
 * seeded with {@code seed}, weight first in row-major order.
 *
 * <p>The batch is unfolded into one patch matrix [in·k·k, batch·OH·OW] so forward and both
 * backward products are single GEMMs through {@link StepContext#kernels()}. In TRAIN mode the
 * patch matrix is kept for backward and the scratch buffers are reused across steps, as they are
 * (separately) by exclusive EVAL forwards; a shared EVAL forward allocates its own buffers and
 * changes no state, so it may be called from many threads.
 */
public final class Conv2d extends ConvolutionLayer {
    private int[] cachedShape;
    private final ForwardScratch cols = new ForwardScratch();
    private final ForwardScratch rows = new ForwardScratch();
    private final ForwardOutput output = new ForwardOutput();
    private float[] gradCols;

    /**
     * @param name the layer name, unique in the model, without '.', '#' or whitespace
     * @param inChannels input channels, ≥ 1
     * @param outChannels output channels, ≥ 1
     * @param kernel kernel height and width, ≥ 1
     * @param stride stride, ≥ 1
     * @param padding zero padding on each side, ≥ 0
     * @param seed seed of the initialisation
     */
    public Conv2d(String name, int inChannels, int outChannels, int kernel, int stride, int padding, long seed) {
        super(name, inChannels, outChannels, kernel, stride, padding,
                new int[] {outChannels, inChannels, kernel, kernel}, inChannels * kernel * kernel, seed);
    }

    /**
     * @param input shape [batch, in, H, W]
     * @param ctx the step; its kernels compute the products
     * @return shape [batch, out, OH, OW]
     * @throws ShapeMismatchException naming this layer, the expected and the actual shape
     */
    @Override
    public Tensor forward(Tensor input, StepContext ctx) {
        int[] s = requireImageBatch(input);
        int[] o = outputShape(new int[] {s[1], s[2], s[3]});
        int batch = s[0];
        int oh = o[1];
        int ow = o[2];
        int cols2 = batch * oh * ow;
        int patch = in * kernel * kernel;
        float[] c = cols.next(ctx, patch * cols2);
        float[] r = rows.next(ctx, out * cols2);
        Im2Col.im2col(input.data(), batch, in, s[2], s[3], kernel, stride, padding, oh, ow, c);
        ctx.kernels().gemm(false, false, out, cols2, patch, 1f, weight.value().data(), 0, patch, c, 0, cols2,
                0f, r, 0, cols2);
        Tensor y = output.next(ctx, batch, out, oh, ow);
        Im2Col.toBatchMajor(r, batch, out, oh * ow, bias.value().data(), y.data());
        if (ctx.training()) cachedShape = s;
        return y;
    }

    /**
     * Adds g·patchesᵀ to the weight gradient and the per-channel sums of g to the bias gradient.
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
        int oh = o[1];
        int ow = o[2];
        Shapes.requireGradShape(name, gradOutput, new int[] {batch, out, oh, ow});
        int plane = oh * ow;
        int cols2 = batch * plane;
        int patch = in * kernel * kernel;
        Kernels k = ctx.kernels();
        float[] g = gradOutput.data();
        Im2Col.addChannelSums(g, batch, out, plane, bias.grad().data());
        float[] r = rows.lastTrain();
        Im2Col.toChannelMajor(g, batch, out, plane, r);
        float beta = weight.gradientBeta(); // 0 right after zeroGrad: overwrite, no clearing pass
        k.gemm(false, true, out, patch, cols2, 1f, r, 0, cols2, cols.lastTrain(), 0, cols2, beta, weight.grad().data(), 0, patch);
        float[] gc = gradCols = Im2Col.atLeast(gradCols, patch * cols2);
        k.gemm(true, false, patch, cols2, out, 1f, weight.value().data(), 0, patch, r, 0, cols2, 0f, gc, 0, cols2);
        Tensor dx = Tensor.zeros(s);
        Im2Col.col2im(gc, batch, in, s[2], s[3], kernel, stride, padding, oh, ow, dx.data());
        return dx;
    }

    /**
     * @param inputShape [in, H, W]
     * @return [out, OH, OW]
     * @throws ShapeMismatchException if the shape is not [in, H, W] or the image is smaller than the kernel
     */
    @Override
    public int[] outputShape(int[] inputShape) {
        requireImage(inputShape);
        int oh = Im2Col.convOut(inputShape[1], kernel, stride, padding);
        int ow = Im2Col.convOut(inputShape[2], kernel, stride, padding);
        if (inputShape[1] < 1 || inputShape[2] < 1 || oh < 1 || ow < 1) {
            throw new ShapeMismatchException("layer '" + name + "': examples of shape " + Arrays.toString(inputShape)
                    + " are too small for kernel " + kernel + " with padding " + padding
                    + "; height and width + 2·padding must be >= kernel");
        }
        return new int[] {out, oh, ow};
    }
}
