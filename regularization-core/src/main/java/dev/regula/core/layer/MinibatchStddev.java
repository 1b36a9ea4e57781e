package dev.regula.core.layer;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.StepContext;
import dev.regula.api.model.Layer;
import dev.regula.api.tensor.Tensor;
import java.util.Arrays;

/**
 * The minibatch standard-deviation feature of a GAN discriminator (Karras et al. 2018, "Progressive
 * Growing of GANs", section 3): it lets the discriminator see how varied a batch is, so a generator
 * that draws too few kinds of image is told apart from the data.
 *
 * <p>The batch [N, C, H, W] is split into groups of G consecutive examples (N must be a multiple of
 * G). For each group and each position p of the C·H·W feature values, σ_p = sqrt(var_p + 10⁻⁸)
 * with var_p the biased variance over the G examples; s = mean_p σ_p. Every example of the group
 * gets one more channel, constant s: the output is [N, C + 1, H, W]. Groups are consecutive, so a
 * batch made of N real images followed by N generated ones (N a multiple of G) never mixes the two.
 *
 * <p>Backward: ∂s/∂x_{i,p} = (x_{i,p} − μ_p) / (G · C·H·W · σ_p). An example's output depends on its
 * whole group, so a caller that needs each example scored on its own must not use this layer. No
 * parameters; shared EVAL forwards change no state, TRAIN and exclusive EVAL forwards reuse an output
 * buffer of the layer, and backward an input-gradient buffer that its next backward overwrites.
 */
public final class MinibatchStddev implements Layer {
    /** Added to each variance before its square root, as in the paper's implementation. */
    public static final double EPSILON = 1e-8;

    private final String name;
    private final int group;
    private final ForwardOutput output = new ForwardOutput();
    private Tensor cachedInput;
    private double[] cachedSigma;
    private Tensor inputGradient;

    /**
     * @param name the layer name, unique in the model
     * @param group G, the examples per group, ≥ 2
     * @throws IllegalArgumentException if the group is below 2
     */
    public MinibatchStddev(String name, int group) {
        this.name = Shapes.checkName(name);
        if (group < 2) throw new IllegalArgumentException(name + ": the group size must be >= 2, got " + group);
        this.group = group;
    }

    @Override
    public String name() {
        return name;
    }

    /** @return G, the examples per group */
    public int group() {
        return group;
    }

    @Override
    public Tensor forward(Tensor input, StepContext ctx) {
        int n = checkInput(input);
        int c = input.dim(1);
        int plane = input.dim(2) * input.dim(3);
        int values = c * plane;
        float[] in = input.data();
        Tensor result = output.next(ctx, n, c + 1, input.dim(2), input.dim(3));
        float[] out = result.data();
        int need = (n / group) * values;
        // TRAIN keeps σ for backward in a reused array; other forwards must not touch the layer's state
        double[] sigma = ctx.training() && cachedSigma != null && cachedSigma.length == need ? cachedSigma : new double[need];
        for (int g = 0; g < n / group; g++) {
            double s = groupStddev(in, g * group * values, values, sigma, g * values);
            for (int i = g * group; i < (g + 1) * group; i++) {
                System.arraycopy(in, i * values, out, i * (values + plane), values);
                Arrays.fill(out, i * (values + plane) + values, (i + 1) * (values + plane), (float) s);
            }
        }
        if (ctx.training()) {
            cachedInput = input;
            cachedSigma = sigma;
        }
        return result;
    }

    /** Writes σ_p of one group into sigma[at ..] and returns their mean. */
    private double groupStddev(float[] in, int start, int values, double[] sigma, int at) {
        double sum = 0;
        for (int p = 0; p < values; p++) {
            double mean = 0;
            for (int i = 0; i < group; i++) mean += in[start + i * values + p];
            mean /= group;
            double var = 0;
            for (int i = 0; i < group; i++) {
                double d = in[start + i * values + p] - mean;
                var += d * d;
            }
            double sd = Math.sqrt(var / group + EPSILON);
            sigma[at + p] = sd;
            sum += sd;
        }
        return sum / values;
    }

    @Override
    public Tensor backward(Tensor gradOutput, StepContext ctx) {
        Tensor input = cachedInput;
        if (input == null) throw Shapes.noForward(name);
        int n = input.dim(0);
        int c = input.dim(1);
        int plane = input.dim(2) * input.dim(3);
        int values = c * plane;
        Shapes.requireGradShape(name, gradOutput, new int[] {n, c + 1, input.dim(2), input.dim(3)});
        float[] g = gradOutput.data();
        float[] x = input.data();
        Tensor dx = inputGradient = Tensor.reuse(inputGradient, input.shape());
        float[] gx = dx.data();
        for (int grp = 0; grp < n / group; grp++) {
            double gs = 0; // ∂L/∂s: the extra channel's gradient summed over the group
            for (int i = grp * group; i < (grp + 1) * group; i++) {
                int base = i * (values + plane) + values;
                for (int q = 0; q < plane; q++) gs += g[base + q];
                System.arraycopy(g, i * (values + plane), gx, i * values, values);
            }
            int start = grp * group * values;
            double scale = gs / ((double) group * values);
            for (int p = 0; p < values; p++) {
                double mean = 0;
                for (int i = 0; i < group; i++) mean += x[start + i * values + p];
                mean /= group;
                double k = scale / cachedSigma[grp * values + p];
                for (int i = 0; i < group; i++) {
                    int at = start + i * values + p;
                    gx[at] += (float) (k * (x[at] - mean));
                }
            }
        }
        return dx;
    }

    private int checkInput(Tensor input) {
        if (input.rank() != 4) {
            throw new ShapeMismatchException(name + ": expects NCHW input of rank 4, got shape " + Arrays.toString(input.shape()));
        }
        int n = input.dim(0);
        if (n % group != 0) {
            throw new ShapeMismatchException(name + ": the batch size must be a multiple of the group size " + group + ", got " + n);
        }
        return n;
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        if (inputShape.length != 3) {
            throw new ShapeMismatchException(name + ": expects an example shape [C, H, W], got " + Arrays.toString(inputShape));
        }
        return new int[] {inputShape[0] + 1, inputShape[1], inputShape[2]};
    }

    @Override
    public String toString() {
        return "MinibatchStddev(" + name + ", group=" + group + ")";
    }
}
