package dev.regula.core.layer;

import dev.regula.api.StepContext;
import dev.regula.api.kernels.Kernels;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.tensor.Tensor;
import java.util.List;

/**
 * A fully connected layer with weight normalisation (Salimans &amp; Kingma 2016; PyTorch's
 * {@code weight_norm(nn.Linear, dim=0)}): the weight is reparametrised per output unit r as
 * w_r = g_r·v_r/‖v_r‖, and y = x·wᵀ + b. The parameters are {@code <name>.weight_v} (v, role
 * WEIGHT, initialised as {@link Dense}'s weight), {@code <name>.weight_g} (g, [out], role
 * NORM_SCALE, initialised to ‖v_r‖ so that w starts equal to v, as PyTorch) and
 * {@code <name>.bias}. The direction and the length of each unit's weight are learned apart.
 *
 * <p>Backward, with G = ∂L/∂w: ∂L/∂g_r = G_r·v̂_r and ∂L/∂v_r = (g_r/‖v_r‖)·(G_r − (G_r·v̂_r)·v̂_r),
 * v̂_r = v_r/‖v_r‖. Buffers follow the {@link dev.regula.api.model.Layer} contract; a shared EVAL
 * forward computes w into a new array and changes no state.
 */
public final class WeightNormDense implements ParameterBackward {
    private final String name;
    private final int in;
    private final int out;
    private final Parameter v;
    private final Parameter g;
    private final Parameter bias;
    private final ForwardOutput output = new ForwardOutput();
    private float[] trainWeight;
    private float[] evalWeight;
    private float[] weightGrad;
    private Tensor cachedInput;
    private Tensor inputGradient;

    /**
     * @param name the layer name, unique in the model
     * @param in input features, ≥ 1
     * @param out output features, ≥ 1
     * @param seed seed of the initialisation of v and b (as {@link Dense})
     */
    public WeightNormDense(String name, int in, int out, long seed) {
        Dense init = new Dense(name, in, out, seed);
        this.name = init.name();
        this.in = in;
        this.out = out;
        this.v = new Parameter(name, "weight_v", ParameterRole.WEIGHT, init.weight().value().copy());
        this.bias = init.bias();
        Tensor norms = Tensor.zeros(out);
        float[] vd = v.value().data();
        for (int r = 0; r < out; r++) {
            double s = 0;
            for (int j = r * in; j < (r + 1) * in; j++) s += (double) vd[j] * vd[j];
            norms.set(r, (float) Math.sqrt(s));
        }
        this.g = new Parameter(name, "weight_g", ParameterRole.NORM_SCALE, norms);
    }

    @Override
    public String name() {
        return name;
    }

    /** @return v, the direction parameter [out, in] */
    public Parameter direction() {
        return v;
    }

    /** @return g, the length parameter [out] */
    public Parameter length() {
        return g;
    }

    /** @return b */
    public Parameter bias() {
        return bias;
    }

    /** Writes w = g·v/‖v‖ row by row into {@code w} (a zero row of v gives a zero row of w). */
    private void weight(float[] w) {
        float[] vd = v.value().data();
        float[] gd = g.value().data();
        for (int r = 0; r < out; r++) {
            double s = 0;
            for (int j = r * in; j < (r + 1) * in; j++) s += (double) vd[j] * vd[j];
            float scale = s == 0 ? 0f : (float) (gd[r] / Math.sqrt(s));
            for (int j = r * in; j < (r + 1) * in; j++) w[j] = scale * vd[j];
        }
    }

    @Override
    public Tensor forward(Tensor input, StepContext ctx) {
        Shapes.requireBatchOf(name, input, new int[] {in});
        float[] w;
        if (ctx.training()) {
            w = trainWeight = trainWeight == null ? new float[out * in] : trainWeight;
        } else if (ctx.exclusive()) {
            w = evalWeight = evalWeight == null ? new float[out * in] : evalWeight;
        } else {
            w = new float[out * in];
        }
        weight(w);
        int batch = input.dim(0);
        Tensor y = output.next(ctx, batch, out);
        Kernels k = ctx.kernels();
        k.gemm(false, true, batch, out, in, 1f, input.data(), 0, in, w, 0, in, 0f, y.data(), 0, out);
        k.addRowVector(batch, out, bias.value().data(), y.data());
        if (ctx.training()) cachedInput = input;
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOutput, StepContext ctx) {
        int batch = addParameterGradients(gradOutput, ctx);
        Tensor dx = inputGradient = Tensor.reuse(inputGradient, batch, in);
        ctx.kernels().gemm(false, false, batch, in, out, 1f, gradOutput.data(), 0, out, trainWeight, 0, in, 0f, dx.data(), 0, in);
        return dx;
    }

    @Override
    public void backwardParameters(Tensor gradOutput, StepContext ctx) {
        addParameterGradients(gradOutput, ctx);
    }

    private int addParameterGradients(Tensor gradOutput, StepContext ctx) {
        Tensor x = cachedInput;
        if (x == null) throw Shapes.noForward(name);
        int batch = x.dim(0);
        Shapes.requireGradShape(name, gradOutput, new int[] {batch, out});
        Kernels k = ctx.kernels();
        float[] gy = gradOutput.data();
        float[] gw = weightGrad = weightGrad == null ? new float[out * in] : weightGrad;
        k.gemm(true, false, out, in, batch, 1f, gy, 0, out, x.data(), 0, in, 0f, gw, 0, in);
        k.addColumnSums(batch, out, gy, bias.grad().data());
        float[] vd = v.value().data();
        float[] gd = g.value().data();
        float[] dv = v.grad().data();
        float[] dg = g.grad().data();
        for (int r = 0; r < out; r++) {
            double s = 0;
            for (int j = r * in; j < (r + 1) * in; j++) s += (double) vd[j] * vd[j];
            if (s == 0) continue;
            double norm = Math.sqrt(s);
            double dot = 0;
            for (int j = r * in; j < (r + 1) * in; j++) dot += (double) gw[j] * vd[j];
            double along = dot / norm; // G_r·v̂_r
            dg[r] += (float) along;
            double scale = gd[r] / norm;
            for (int j = r * in; j < (r + 1) * in; j++) dv[j] += (float) (scale * (gw[j] - along * vd[j] / norm));
        }
        return batch;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(v, g, bias);
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        if (inputShape.length != 1 || inputShape[0] != in) {
            throw new dev.regula.api.ShapeMismatchException("layer '" + name + "' expects examples of shape [" + in + "], got "
                    + java.util.Arrays.toString(inputShape));
        }
        return new int[] {out};
    }

    @Override
    public String toString() {
        return "WeightNormDense(" + name + ", " + in + " -> " + out + ")";
    }
}
