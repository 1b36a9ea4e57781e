package dev.regula.core.layer;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.StepContext;
import dev.regula.api.model.Layer;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * Normalisation of each example on its own, the common part of {@link LayerNorm} and
 * {@link GroupNorm}: the example's values (in memory order) are cut into {@code segments} equal
 * contiguous runs; each run is normalised with its own mean and biased variance,
 * x̂ = (x − μ)/√(σ² + eps), then y = γ_a·x̂ + β_a with a = (index within the example)/{@code spread}.
 * No batch statistics and no running state: TRAIN and EVAL compute the same function, and a
 * batch of one works.
 *
 * <p>γ is {@code <name>.weight} (role {@link ParameterRole#NORM_SCALE}, initialised to 1) and β
 * is {@code <name>.bias} (role {@link ParameterRole#BIAS}, initialised to 0), so weight decay
 * leaves both alone by default. Backward per run: ∂L/∂x = (ĝ − mean(ĝ) − x̂·mean(ĝ·x̂))/σ with
 * ĝ = γ_a·∂L/∂y.
 */
abstract sealed class SegmentNorm implements Layer permits LayerNorm, GroupNorm {
    private final String name;
    private final double eps;
    private final Parameter gamma;
    private final Parameter beta;
    private final ForwardOutput output = new ForwardOutput();
    private float[] normalized = new float[0];
    private float[] invStd = new float[0];
    private int[] cachedShape;
    private Tensor inputGradient;

    SegmentNorm(String name, int affineSize, double eps) {
        this.name = Shapes.checkName(name);
        if (affineSize < 1) throw new IllegalArgumentException("layer '" + name + "': size must be >= 1, got " + affineSize);
        if (!(eps > 0 && Double.isFinite(eps))) {
            throw new IllegalArgumentException("layer '" + name + "': eps must be a finite number > 0, got " + eps);
        }
        this.eps = eps;
        this.gamma = new Parameter(name, "weight", ParameterRole.NORM_SCALE, Tensor.zeros(affineSize).fill(1f));
        this.beta = new Parameter(name, "bias", ParameterRole.BIAS, Tensor.zeros(affineSize));
    }

    @Override
    public final String name() {
        return name;
    }

    /** @return γ, the scale */
    public final Parameter weight() {
        return gamma;
    }

    /** @return β, the shift */
    public final Parameter bias() {
        return beta;
    }

    /** @return ε added to the variance */
    public final double eps() {
        return eps;
    }

    /**
     * @param example the shape of one example
     * @return the number of runs an example is cut into
     * @throws ShapeMismatchException if the layer does not accept that shape
     */
    abstract int segments(int[] example);

    /**
     * @param example the shape of one example
     * @return how many consecutive values share one γ/β entry
     */
    abstract int spread(int[] example);

    @Override
    public final int[] outputShape(int[] inputShape) {
        segments(inputShape);
        return inputShape.clone();
    }

    @Override
    public final Tensor forward(Tensor input, StepContext ctx) {
        Shapes.requireBatched(name, input);
        int[] s = input.shape();
        int[] example = Arrays.copyOfRange(s, 1, s.length);
        int segments = segments(example);
        int spread = spread(example);
        int exampleSize = input.rowSize();
        int runs = s[0] * segments;
        int length = exampleSize / segments;
        float[] x = input.data();
        Tensor y = output.next(ctx, s);
        float[] yd = y.data();
        float[] g = gamma.value().data();
        float[] b = beta.value().data();
        boolean train = ctx.training();
        float[] xh = train ? normalized = Im2Col.atLeast(normalized, x.length) : null;
        float[] is = train ? invStd = Im2Col.atLeast(invStd, runs) : null;
        for (int r = 0; r < runs; r++) {
            int off = r * length;
            double sum = 0;
            for (int i = off; i < off + length; i++) sum += x[i];
            double mean = sum / length;
            double sq = 0;
            for (int i = off; i < off + length; i++) {
                double d = x[i] - mean;
                sq += d * d;
            }
            float inv = (float) (1.0 / Math.sqrt(sq / length + eps));
            float m = (float) mean;
            int first = off % exampleSize;
            for (int i = off; i < off + length; i++) {
                float h = (x[i] - m) * inv;
                int a = (first + i - off) / spread;
                yd[i] = g[a] * h + b[a];
                if (train) xh[i] = h;
            }
            if (train) is[r] = inv;
        }
        if (train) cachedShape = s;
        return y;
    }

    @Override
    public final Tensor backward(Tensor gradOutput, StepContext ctx) {
        int[] s = cachedShape;
        if (s == null) throw Shapes.noForward(name);
        Shapes.requireGradShape(name, gradOutput, s);
        int[] example = Arrays.copyOfRange(s, 1, s.length);
        int segments = segments(example);
        int spread = spread(example);
        int exampleSize = Tensor.sizeOf(example);
        int runs = s[0] * segments;
        int length = exampleSize / segments;
        float[] gy = gradOutput.data();
        float[] xh = normalized;
        float[] gam = gamma.value().data();
        float[] dGamma = gamma.grad().data();
        float[] dBeta = beta.grad().data();
        Tensor dx = inputGradient = Tensor.reuse(inputGradient, s);
        float[] dxd = dx.data();
        for (int r = 0; r < runs; r++) {
            int off = r * length;
            int first = off % exampleSize;
            double sumG = 0;
            double sumGx = 0;
            for (int i = off; i < off + length; i++) {
                int a = (first + i - off) / spread;
                float gh = gam[a] * gy[i];
                sumG += gh;
                sumGx += (double) gh * xh[i];
                dGamma[a] += gy[i] * xh[i];
                dBeta[a] += gy[i];
            }
            float meanG = (float) (sumG / length);
            float meanGx = (float) (sumGx / length);
            float inv = invStd[r];
            for (int i = off; i < off + length; i++) {
                int a = (first + i - off) / spread;
                dxd[i] = inv * (gam[a] * gy[i] - meanG - xh[i] * meanGx);
            }
        }
        return dx;
    }

    @Override
    public final List<Parameter> parameters() {
        return List.of(gamma, beta);
    }
}
