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
 * <p>Forward is {@link Kernels#conv2dBackwardInput} of the convolution from the output's shape to
 * the input's (with the bias added in the same pass); backward is that convolution's
 * {@link Kernels#conv2d} and {@link Kernels#conv2dBackwardWeight}. In TRAIN mode the input is kept
 * for backward and the output and input-gradient buffers are reused across steps, as the output
 * is (separately) by exclusive EVAL forwards; a shared EVAL forward allocates its output and
 * changes no state, so it may be called from many threads.
 */
public final class ConvTranspose2d extends ConvolutionLayer {
    private Tensor cachedInput;
    private final ForwardOutput output = new ForwardOutput();
    private Tensor inputGradient;

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
     * @param ctx the step; its kernels compute the transposed convolution
     * @return shape [batch, out, OH, OW]
     * @throws ShapeMismatchException naming this layer, the expected and the actual shape
     */
    @Override
    public Tensor forward(Tensor input, StepContext ctx) {
        int[] s = requireImageBatch(input);
        int[] o = outputShape(new int[] {s[1], s[2], s[3]});
        Tensor y = output.next(ctx, s[0], out, o[1], o[2]);
        ctx.kernels().conv2dBackwardInput(adjointGeometry(s[0], o), input.data(), weight.value().data(),
                bias.value().data(), y.data());
        if (ctx.training()) cachedInput = input;
        return y;
    }

    /**
     * @param batch the batch size
     * @param o this layer's output shape [out, OH, OW]
     * @return the geometry of the convolution this layer is the adjoint of: from [batch, out, OH, OW]
     *     with this weight read as [in, out, k, k] to [batch, in, H, W]
     */
    private ConvGeometry adjointGeometry(int batch, int[] o) {
        return new ConvGeometry(batch, out, o[1], o[2], in, kernel, stride, padding);
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
        Tensor x = cachedInput;
        if (x == null) throw Shapes.noForward(name);
        int[] s = x.shape();
        int[] o = outputShape(new int[] {s[1], s[2], s[3]});
        Shapes.requireGradShape(name, gradOutput, new int[] {s[0], out, o[1], o[2]});
        Kernels k = ctx.kernels();
        ConvGeometry g = adjointGeometry(s[0], o);
        float[] gy = gradOutput.data();
        Im2Col.addChannelSums(gy, s[0], out, o[1] * o[2], bias.grad().data());
        float beta = weight.gradientBeta(); // 0 right after zeroGrad: overwrite, no clearing pass
        // y = Aᵀx for the convolution A of g, so ∂L/∂W pairs g's "input" gy with its "output gradient" x
        k.conv2dBackwardWeight(g, gy, x.data(), beta, weight.grad().data());
        Tensor dx = inputGradient = Tensor.reuse(inputGradient, s);
        k.conv2d(g, gy, weight.value().data(), null, dx.data());
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
