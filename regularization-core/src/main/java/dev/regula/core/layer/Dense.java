package dev.regula.core.layer;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.StepContext;
import dev.regula.api.kernels.Kernels;
import dev.regula.api.model.Layer;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A fully connected layer: y = x·Wᵀ + b for x of shape [batch, in].
 *
 * <p>The weight has shape [out, in] and the bias [out], the layout of PyTorch's {@code nn.Linear},
 * so checkpoints interoperate. They are named {@code <name>.weight} (role
 * {@link ParameterRole#WEIGHT}) and {@code <name>.bias} (role {@link ParameterRole#BIAS}).
 * Initialisation follows PyTorch's default for {@code nn.Linear} (Kaiming-uniform with
 * a = √5): weight and bias are uniform in [−1/√in, 1/√in], drawn from a
 * {@link SplittableRandom} seeded with {@code seed}, weight first in row-major order.
 *
 * <p>As the first layer of a model it skips the input gradient ({@link ParameterBackward}).
 *
 * <p>In TRAIN mode forward keeps a reference to its input for backward (layers never modify
 * their inputs) and writes its output into a buffer it reuses at the next TRAIN forward, as
 * backward does with ∂L/∂x (see {@link Layer}); an exclusive EVAL forward reuses a buffer of its
 * own, and a shared EVAL forward changes no state and may be called from many threads.
 */
public final class Dense implements ParameterBackward, InputBackward {
    private final String name;
    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;
    private Tensor cachedInput;
    /** The forward outputs, reused from step to step (see {@link Layer}). */
    private final ForwardOutput output = new ForwardOutput();
    private Tensor inputGradient;

    /**
     * @param name the layer name, unique in the model, without '.', '#' or whitespace
     * @param in number of input features, ≥ 1
     * @param out number of output features, ≥ 1
     * @param seed seed of the initialisation
     */
    public Dense(String name, int in, int out, long seed) {
        this.name = Shapes.checkName(name);
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("layer '" + name + "': in and out must be >= 1, got in=" + in + ", out=" + out);
        }
        this.in = in;
        this.out = out;
        Initializers.WeightAndBias params = Initializers.pytorchDefault(name, new int[] {out, in}, in, out, seed);
        this.weight = params.weight();
        this.bias = params.bias();
    }

    @Override
    public String name() {
        return name;
    }

    /** @return the number of input features */
    public int inFeatures() {
        return in;
    }

    /** @return the number of output features */
    public int outFeatures() {
        return out;
    }

    /** @return the weight, shape [out, in] */
    public Parameter weight() {
        return weight;
    }

    /** @return the bias, shape [out] */
    public Parameter bias() {
        return bias;
    }

    /**
     * @param input shape [batch, in]
     * @param ctx the step; its kernels compute the product
     * @return shape [batch, out]
     * @throws ShapeMismatchException naming this layer, the expected and the actual shape
     */
    @Override
    public Tensor forward(Tensor input, StepContext ctx) {
        Shapes.requireBatchOf(name, input, new int[] {in});
        int batch = input.dim(0);
        Tensor y = output.next(ctx, batch, out);
        Kernels k = ctx.kernels();
        k.gemm(false, true, batch, out, in, 1f, input.data(), 0, in, weight.value().data(), 0, in, 0f, y.data(), 0, out);
        k.addRowVector(batch, out, bias.value().data(), y.data());
        if (ctx.training()) cachedInput = input;
        return y;
    }

    /**
     * Adds gᵀ·x to the weight gradient and the column sums of g to the bias gradient.
     *
     * @param gradOutput ∂L/∂y, shape [batch, out]
     * @param ctx the step
     * @return ∂L/∂x = g·W, shape [batch, in]
     */
    @Override
    public Tensor backward(Tensor gradOutput, StepContext ctx) {
        int batch = addParameterGradients(gradOutput, ctx);
        return inputGradient(gradOutput, batch, ctx);
    }

    /**
     * Adds gᵀ·x to the weight gradient and the column sums of g to the bias gradient, without
     * computing ∂L/∂x.
     *
     * @param gradOutput ∂L/∂y, shape [batch, out]
     * @param ctx the step
     */
    @Override
    public void backwardParameters(Tensor gradOutput, StepContext ctx) {
        addParameterGradients(gradOutput, ctx);
    }

    /**
     * ∂L/∂x = g·W as {@link #backward} computes it, without the parameter gradients.
     *
     * @param gradOutput ∂L/∂y, shape [batch, out]
     * @param ctx the step
     * @return ∂L/∂x, in the buffer {@link #backward} returns
     */
    @Override
    public Tensor backwardInput(Tensor gradOutput, StepContext ctx) {
        return inputGradient(gradOutput, checkedBatch(gradOutput), ctx);
    }

    /** @return the batch of the last TRAIN forward, after checking that gradOutput is [batch, out] */
    private int checkedBatch(Tensor gradOutput) {
        Tensor x = cachedInput;
        if (x == null) throw Shapes.noForward(name);
        int batch = x.dim(0);
        Shapes.requireGradShape(name, gradOutput, new int[] {batch, out});
        return batch;
    }

    private Tensor inputGradient(Tensor gradOutput, int batch, StepContext ctx) {
        Tensor dx = inputGradient = Tensor.reuse(inputGradient, batch, in);
        ctx.kernels().gemm(false, false, batch, in, out, 1f, gradOutput.data(), 0, out,
                weight.value().data(), 0, in, 0f, dx.data(), 0, in);
        return dx;
    }

    private int addParameterGradients(Tensor gradOutput, StepContext ctx) {
        int batch = checkedBatch(gradOutput);
        Tensor x = cachedInput;
        Kernels k = ctx.kernels();
        float[] g = gradOutput.data();
        // β = 0 right after zeroGrad: the product overwrites the gradient instead of clearing it first
        float beta = weight.gradientBeta();
        k.gemm(true, false, out, in, batch, 1f, g, 0, out, x.data(), 0, in, beta, weight.grad().data(), 0, in);
        k.addColumnSums(batch, out, g, bias.grad().data());
        return batch;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        if (inputShape.length != 1 || inputShape[0] != in) {
            throw new ShapeMismatchException("layer '" + name + "' expects examples of shape [" + in + "] but got "
                    + Arrays.toString(inputShape) + (inputShape.length > 1 ? "; add a Flatten layer before it" : ""));
        }
        return new int[] {out};
    }

    @Override
    public String toString() {
        return "Dense(" + name + ", " + in + " -> " + out + ")";
    }
}
