package dev.regula.core.layer;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.StepContext;
import dev.regula.api.kernels.ConvGeometry;
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
 * <p>Forward and both backward passes are the convolution kernels of {@link StepContext#kernels()}
 * ({@link Kernels#conv2d}, {@link Kernels#conv2dBackwardInput}, {@link Kernels#conv2dBackwardWeight}).
 * In TRAIN mode the input is kept for backward and the output and input-gradient buffers are reused
 * across steps, as the output is (separately) by exclusive EVAL forwards; a shared EVAL forward
 * allocates its output and changes no state, so it may be called from many threads.
 */
public final class Conv2d extends ConvolutionLayer implements ParameterBackward, InputBackward {
    private Tensor cachedInput;
    private final ForwardOutput output = new ForwardOutput();
    private Tensor inputGradient;

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
     * @param ctx the step; its kernels compute the convolution
     * @return shape [batch, out, OH, OW]
     * @throws ShapeMismatchException naming this layer, the expected and the actual shape
     */
    @Override
    public Tensor forward(Tensor input, StepContext ctx) {
        int[] s = requireImageBatch(input);
        int[] o = outputShape(new int[] {s[1], s[2], s[3]});
        Tensor y = output.next(ctx, s[0], out, o[1], o[2]);
        ctx.kernels().conv2d(geometry(s), input.data(), weight.value().data(), bias.value().data(), y.data());
        if (ctx.training()) cachedInput = input;
        return y;
    }

    private ConvGeometry geometry(int[] s) {
        return new ConvGeometry(s[0], in, s[2], s[3], out, kernel, stride, padding);
    }

    /**
     * Adds the weight gradient and the per-channel sums of g to the bias gradient.
     *
     * @param gradOutput ∂L/∂y, shape [batch, out, OH, OW] of the last TRAIN forward
     * @param ctx the step
     * @return ∂L/∂x, shape [batch, in, H, W], in a buffer this layer reuses at its next backward
     */
    @Override
    public Tensor backward(Tensor gradOutput, StepContext ctx) {
        Tensor x = checkedInput(gradOutput);
        addParameterGradients(x, gradOutput, ctx);
        return inputGradient(x, gradOutput, ctx);
    }

    /**
     * Adds the weight gradient and the per-channel sums of g to the bias gradient, without
     * computing ∂L/∂x (the first layer of a model, whose input is the data).
     *
     * @param gradOutput ∂L/∂y, shape [batch, out, OH, OW] of the last TRAIN forward
     * @param ctx the step
     */
    @Override
    public void backwardParameters(Tensor gradOutput, StepContext ctx) {
        addParameterGradients(checkedInput(gradOutput), gradOutput, ctx);
    }

    /**
     * ∂L/∂x as {@link #backward} computes it, without the parameter gradients.
     *
     * @param gradOutput ∂L/∂y, shape [batch, out, OH, OW] of the last TRAIN forward
     * @param ctx the step
     * @return ∂L/∂x, in the buffer {@link #backward} returns
     */
    @Override
    public Tensor backwardInput(Tensor gradOutput, StepContext ctx) {
        return inputGradient(checkedInput(gradOutput), gradOutput, ctx);
    }

    private Tensor checkedInput(Tensor gradOutput) {
        Tensor x = cachedInput;
        if (x == null) throw Shapes.noForward(name);
        int[] s = x.shape();
        int[] o = outputShape(new int[] {s[1], s[2], s[3]});
        Shapes.requireGradShape(name, gradOutput, new int[] {s[0], out, o[1], o[2]});
        return x;
    }

    private void addParameterGradients(Tensor x, Tensor gradOutput, StepContext ctx) {
        int[] s = x.shape();
        int[] o = outputShape(new int[] {s[1], s[2], s[3]});
        float[] gy = gradOutput.data();
        Im2Col.addChannelSums(gy, s[0], out, o[1] * o[2], bias.grad().data());
        float beta = weight.gradientBeta(); // 0 right after zeroGrad: overwrite, no clearing pass
        ctx.kernels().conv2dBackwardWeight(geometry(s), x.data(), gy, beta, weight.grad().data());
    }

    private Tensor inputGradient(Tensor x, Tensor gradOutput, StepContext ctx) {
        int[] s = x.shape();
        Tensor dx = inputGradient = Tensor.reuse(inputGradient, s);
        ctx.kernels().conv2dBackwardInput(geometry(s), gradOutput.data(), weight.value().data(), null, dx.data());
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
