package dev.regula.core.layer;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.StepContext;
import dev.regula.api.kernels.ConvGeometry;
import dev.regula.api.kernels.Kernels;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.tensor.Tensor;
import java.util.Arrays;

/**
 * Nearest-neighbour ×2 upsampling followed by a 3×3 convolution with stride 1 and padding 1, as
 * one layer: the output equals {@link Upsample2d Upsample2d(2)} then
 * {@link Conv2d Conv2d(in, out, 3, 1, 1)} with the same weight and bias, up to the order of the
 * floating-point sums. [batch, in, H, W] becomes [batch, out, 2H, 2W].
 *
 * <p>The weight [out, in, 3, 3] is named {@code <name>.weight} (role {@link ParameterRole#WEIGHT}),
 * the bias [out] {@code <name>.bias}, initialised as {@link Conv2d}'s with kernel 3, so the layer
 * replaces the pair in a model without changing its parameters or checkpoints.
 *
 * <p>How it is computed (the polyphase, or sub-pixel, form of the pair): output pixel
 * (2i + py, 2j + px) reads only input rows i − 1 + py .. i + py and columns j − 1 + px .. j + px, so
 * each of the four phases (py, px) is a 2×2 convolution of the input, whose taps are sums of the
 * 3×3 taps (phase 0 reads tap 0 at offset −1 and taps 1 + 2 at offset 0; phase 1 taps 0 + 1 at
 * offset 0 and tap 2 at offset +1, per axis). The four phases are stacked as 4·out channels of one
 * {@link Kernels#conv2d 2×2 convolution with padding 1} over the input ([4·out, H + 1, W + 1]) and
 * interleaved into the output. Against the pair this does 16/36 of the multiply-adds (plus the
 * (H + 1)² border), unfolds a patch matrix one eighth the size and never materialises the
 * upsampled input. Backward maps the output gradient to the phases, runs the kernels' backward
 * passes of that convolution and folds the 2×2 weight gradient back onto the 3×3 taps.
 *
 * <p>Buffers as {@link Conv2d}'s: TRAIN and exclusive EVAL forwards reuse layer-owned buffers, a
 * shared EVAL forward allocates and changes no state (safe from many threads).
 */
public final class UpsampleConv2d extends ConvolutionLayer {
    /** For phase p and 2×2 tap a: the first and last 3×3 tap summed into it. */
    private static final int[][] FIRST = {{0, 1}, {0, 2}};
    private static final int[][] LAST = {{0, 2}, {1, 2}};

    private Tensor cachedInput;
    private final ForwardOutput output = new ForwardOutput();
    private final ForwardOutput phases = new ForwardOutput();
    private float[] phaseWeight;
    private float[] phaseBias;
    private float[] phaseWeightGrad;
    private Tensor phaseGradient;
    private Tensor inputGradient;

    /**
     * @param name the layer name, unique in the model, without '.', '#' or whitespace
     * @param inChannels input channels, ≥ 1
     * @param outChannels output channels, ≥ 1
     * @param seed seed of the initialisation (as {@link Conv2d}'s with kernel 3)
     */
    public UpsampleConv2d(String name, int inChannels, int outChannels, long seed) {
        super(name, inChannels, outChannels, 3, 1, 1, new int[] {outChannels, inChannels, 3, 3}, inChannels * 9, seed);
    }

    /**
     * @param input shape [batch, in, H, W]
     * @param ctx the step; its kernels compute the convolution
     * @return shape [batch, out, 2H, 2W]
     * @throws ShapeMismatchException naming this layer, the expected and the actual shape
     */
    @Override
    public Tensor forward(Tensor input, StepContext ctx) {
        int[] s = requireImageBatch(input);
        int n = s[0];
        int h = s[2];
        int w = s[3];
        boolean reuse = ctx.training() || ctx.exclusive();
        float[] pw = reuse ? phaseWeight = sized(phaseWeight, 16 * out * in) : new float[16 * out * in];
        float[] pb = reuse ? phaseBias = sized(phaseBias, 4 * out) : new float[4 * out];
        phaseWeights(weight.value().data(), pw);
        for (int p = 0; p < 4; p++) System.arraycopy(bias.value().data(), 0, pb, p * out, out);
        Tensor stacked = phases.next(ctx, n, 4 * out, h + 1, w + 1);
        ctx.kernels().conv2d(geometry(s), input.data(), pw, pb, stacked.data());
        Tensor y = output.next(ctx, n, out, 2 * h, 2 * w);
        interleave(stacked.data(), y.data(), n, h, w);
        if (ctx.training()) cachedInput = input;
        return y;
    }

    /**
     * Adds the weight gradient and the per-channel sums of g to the bias gradient.
     *
     * @param gradOutput ∂L/∂y, shape [batch, out, 2H, 2W] of the last TRAIN forward
     * @param ctx the step
     * @return ∂L/∂x, shape [batch, in, H, W], in a buffer this layer reuses at its next backward
     */
    @Override
    public Tensor backward(Tensor gradOutput, StepContext ctx) {
        Tensor x = cachedInput;
        if (x == null) throw Shapes.noForward(name);
        int[] s = x.shape();
        int n = s[0];
        int h = s[2];
        int w = s[3];
        Shapes.requireGradShape(name, gradOutput, new int[] {n, out, 2 * h, 2 * w});
        Kernels k = ctx.kernels();
        ConvGeometry g = geometry(s);
        float[] gy = gradOutput.data();
        Im2Col.addChannelSums(gy, n, out, 4 * h * w, bias.grad().data());
        phaseGradient = Tensor.reuse(phaseGradient, n, 4 * out, h + 1, w + 1);
        deinterleave(gy, phaseGradient.data(), n, h, w);
        phaseWeightGrad = sized(phaseWeightGrad, 16 * out * in);
        k.conv2dBackwardWeight(g, x.data(), phaseGradient.data(), 0f, phaseWeightGrad);
        float beta = weight.gradientBeta();
        foldWeightGradient(phaseWeightGrad, beta, weight.grad().data());
        Tensor dx = inputGradient = Tensor.reuse(inputGradient, s);
        k.conv2dBackwardInput(g, phaseGradient.data(), phaseWeight, null, dx.data());
        return dx;
    }

    /**
     * @param inputShape [in, H, W]
     * @return [out, 2H, 2W]
     * @throws ShapeMismatchException if the shape is not [in, H, W] with H, W ≥ 1
     */
    @Override
    public int[] outputShape(int[] inputShape) {
        requireImage(inputShape);
        if (inputShape[1] < 1 || inputShape[2] < 1) {
            throw new ShapeMismatchException("layer '" + name + "': examples of shape " + Arrays.toString(inputShape)
                    + " are empty; height and width must be >= 1");
        }
        return new int[] {out, 2 * inputShape[1], 2 * inputShape[2]};
    }

    private ConvGeometry geometry(int[] s) {
        return new ConvGeometry(s[0], in, s[2], s[3], 4 * out, 2, 1, 1);
    }

    /** The four phases' 2×2 weights [(p·out + co), ci, a, b] from the 3×3 weight [co, ci, ki, kj]. */
    private void phaseWeights(float[] w3, float[] pw) {
        for (int py = 0; py < 2; py++) {
            for (int px = 0; px < 2; px++) {
                int base = (py * 2 + px) * out * in * 4;
                for (int oc = 0; oc < out * in; oc++) {
                    int src = oc * 9;
                    int dst = base + oc * 4;
                    for (int a = 0; a < 2; a++) {
                        for (int b = 0; b < 2; b++) {
                            float sum = 0;
                            for (int ki = FIRST[py][a]; ki <= LAST[py][a]; ki++) {
                                for (int kj = FIRST[px][b]; kj <= LAST[px][b]; kj++) sum += w3[src + ki * 3 + kj];
                            }
                            pw[dst + a * 2 + b] = sum;
                        }
                    }
                }
            }
        }
    }

    /** The adjoint of {@link #phaseWeights}: gw3 ← β·gw3 + foldᵀ(gw4). */
    private void foldWeightGradient(float[] pw, float beta, float[] gw3) {
        if (beta == 0f) Arrays.fill(gw3, 0f);
        for (int py = 0; py < 2; py++) {
            for (int px = 0; px < 2; px++) {
                int base = (py * 2 + px) * out * in * 4;
                for (int oc = 0; oc < out * in; oc++) {
                    int src = base + oc * 4;
                    int dst = oc * 9;
                    for (int a = 0; a < 2; a++) {
                        for (int b = 0; b < 2; b++) {
                            float g = pw[src + a * 2 + b];
                            for (int ki = FIRST[py][a]; ki <= LAST[py][a]; ki++) {
                                for (int kj = FIRST[px][b]; kj <= LAST[px][b]; kj++) gw3[dst + ki * 3 + kj] += g;
                            }
                        }
                    }
                }
            }
        }
    }

    /** y[n, co, 2i + py, 2j + px] = stacked[n, p·out + co, i + py, j + px] with p = 2·py + px. */
    private void interleave(float[] stacked, float[] y, int n, int h, int w) {
        int sw = w + 1;
        int splane = (h + 1) * sw;
        int yw = 2 * w;
        int yplane = 4 * h * w;
        for (int b = 0; b < n; b++) {
            for (int co = 0; co < out; co++) {
                int yBase = (b * out + co) * yplane;
                for (int p = 0; p < 4; p++) {
                    int py = p >> 1;
                    int px = p & 1;
                    int sBase = (b * 4 * out + p * out + co) * splane + py * sw + px;
                    for (int i = 0; i < h; i++) {
                        int src = sBase + i * sw;
                        int dst = yBase + (2 * i + py) * yw + px;
                        for (int j = 0; j < w; j++) y[dst + 2 * j] = stacked[src + j];
                    }
                }
            }
        }
    }

    /** The adjoint of {@link #interleave}: the phase gradient, zero where no output pixel reads it. */
    private void deinterleave(float[] gy, float[] stacked, int n, int h, int w) {
        int sw = w + 1;
        int splane = (h + 1) * sw;
        int yw = 2 * w;
        int yplane = 4 * h * w;
        for (int b = 0; b < n; b++) {
            for (int co = 0; co < out; co++) {
                int yBase = (b * out + co) * yplane;
                for (int p = 0; p < 4; p++) {
                    int py = p >> 1;
                    int px = p & 1;
                    int plane = (b * 4 * out + p * out + co) * splane;
                    // the row and the column of this phase that no output pixel reads
                    int unusedRow = py == 0 ? h : 0;
                    Arrays.fill(stacked, plane + unusedRow * sw, plane + unusedRow * sw + sw, 0f);
                    int unusedCol = px == 0 ? w : 0;
                    for (int r = 0; r <= h; r++) stacked[plane + r * sw + unusedCol] = 0f;
                    int sBase = plane + py * sw + px;
                    for (int i = 0; i < h; i++) {
                        int dst = sBase + i * sw;
                        int src = yBase + (2 * i + py) * yw + px;
                        for (int j = 0; j < w; j++) stacked[dst + j] = gy[src + 2 * j];
                    }
                }
            }
        }
    }

    private static float[] sized(float[] buffer, int length) {
        return buffer != null && buffer.length == length ? buffer : new float[length];
    }
}
