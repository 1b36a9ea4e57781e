package dev.regula.core.regularizer.constraint;

import dev.regula.api.StepContext;
import dev.regula.api.kernels.CounterRng;
import dev.regula.api.kernels.Kernels;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterSelector;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.regularizer.Stage;
import dev.regula.api.regularizer.StatefulRegularizer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Spectral-norm constraint (Miyato et al. 2018, as a projection after the optimizer step): the
 * weight, viewed as the matrix [dim0, rest] (for a convolution [out, in·k·k], as PyTorch's
 * {@code spectral_norm}), is scaled by 1/max(1, σ̂/max), where σ̂ estimates its largest
 * singular value, so that σ(W) ≤ max once the estimate has converged.
 *
 * <p>σ̂ comes from power iteration: a left vector u ∈ ℝ^dim0 is kept per parameter across steps
 * (the estimate improves every step, as in PyTorch), each iteration computes v = Wᵀu/‖Wᵀu‖ and
 * u = Wv/‖Wv‖, and σ̂ = ‖Wv‖. The first u is deterministic: CounterRng Gaussians keyed by
 * (ctx.seed(), the parameter name), normalised. Power iteration approaches σ from below, so with
 * few iterations a step may leave σ slightly above max; it is corrected in the following steps.
 *
 * <p>Projection: W is scaled only when σ̂ exceeds max by more than a relative {@value #TOLERANCE},
 * so applying the constraint again to a converged, projected weight leaves it unchanged.
 * Parameters of rank 0 or 1 are treated as a [dim0, 1] matrix (σ = ‖w‖₂).
 */
final class SpectralNorm implements ParameterRegularizer, StatefulRegularizer {
    /** Relative excess of σ̂ over max below which the weight is left unchanged. */
    static final double TOLERANCE = 1e-5;

    private final double max;
    private final int iterations;
    private final ParameterSelector selector;
    private final String spec;
    private static final String NAME = SpectralNormProvider.NAME;
    /** A saved u's key: this, then the parameter's name. */
    private static final String STATE_PREFIX = "u.";
    /** The persistent left singular vector estimate u per parameter name. */
    private final Map<String, float[]> leftVectors = new ConcurrentHashMap<>();

    /**
     * @param max the largest spectral norm allowed, finite and &gt; 0
     * @param iterations power iterations per application, ≥ 1
     * @param selector the parameters acted on
     * @param spec the canonical spec
     */
    SpectralNorm(double max, int iterations, ParameterSelector selector, String spec) {
        if (!(max > 0) || Double.isInfinite(max)) throw new IllegalArgumentException("max must be finite and > 0, got " + max);
        if (iterations < 1) throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
        this.max = max;
        this.iterations = iterations;
        this.selector = Objects.requireNonNull(selector, "selector");
        this.spec = Objects.requireNonNull(spec, "spec");
    }

    @Override
    public String name() {
        return SpectralNormProvider.NAME;
    }

    @Override
    public String spec() {
        return spec;
    }

    @Override
    public Stage stage() {
        return Stage.CONSTRAINT;
    }

    @Override
    public ParameterSelector selector() {
        return selector;
    }

    /**
     * Runs the power iterations and rescales the weight if its estimated spectral norm exceeds max.
     *
     * @param p a selected parameter, changed in place
     * @param ctx the step (its seed starts the power iteration on first use, its kernels compute)
     */
    @Override
    public void apply(Parameter p, StepContext ctx) {
        float[] w = p.value().data();
        if (w.length == 0) return;
        int rows = p.value().rank() == 0 ? 1 : p.value().dim(0);
        int cols = w.length / rows;
        float[] u = leftVectors.compute(p.name(), (name, old) -> old != null && old.length == rows ? old : start(name, rows, ctx.seed()));
        double sigma = estimate(ctx.kernels(), w, rows, cols, u);
        if (sigma > max * (1 + TOLERANCE)) ctx.kernels().scale(w.length, (float) (max / sigma), w, 0);
    }

    /**
     * @return σ̂ after {@link #iterations} power iterations; u is updated in place
     */
    private double estimate(Kernels k, float[] w, int rows, int cols, float[] u) {
        float[] v = new float[cols];
        double sigma = 0;
        for (int it = 0; it < iterations; it++) {
            java.util.Arrays.fill(v, 0f);
            for (int r = 0; r < rows; r++) k.axpy(cols, u[r], w, r * cols, v, 0);
            double nv = Math.sqrt(k.sumSquares(cols, v, 0));
            if (nv == 0) return 0; // Wᵀu = 0: u is orthogonal to the column space of W
            k.scale(cols, (float) (1 / nv), v, 0);
            for (int r = 0; r < rows; r++) u[r] = (float) k.dot(cols, w, r * cols, v, 0);
            double nu = Math.sqrt(k.sumSquares(rows, u, 0));
            if (nu == 0) return 0;
            k.scale(rows, (float) (1 / nu), u, 0);
            sigma = nu;
        }
        return sigma;
    }

    private static float[] start(String name, int rows, long seed) {
        long key = CounterRng.key(seed, CounterRng.stream(name + "#spectral-norm"), 0);
        float[] u = new float[rows];
        double s = 0;
        for (int i = 0; i < rows; i++) {
            u[i] = CounterRng.gaussian(key, i);
            s += (double) u[i] * u[i];
        }
        float inv = (float) (1 / Math.sqrt(s));
        for (int i = 0; i < rows; i++) u[i] *= inv;
        return u;
    }

    /**
     * @return per parameter its power iteration's u, {@code u.<parameter>}: a resumed run goes on
     *     from the estimate the uninterrupted one had, not from the first u again
     */
    @Override
    public Map<String, double[]> state() {
        Map<String, double[]> out = new java.util.TreeMap<>();
        leftVectors.forEach((name, u) -> {
            double[] d = new double[u.length];
            for (int i = 0; i < u.length; i++) d[i] = u[i];
            out.put(STATE_PREFIX + name, d);
        });
        return out;
    }

    /** @throws IllegalArgumentException unless every key is {@code u.<parameter>} and every value finite and a float */
    @Override
    public void checkState(Map<String, double[]> state) {
        for (Map.Entry<String, double[]> e : state.entrySet()) {
            if (!e.getKey().startsWith(STATE_PREFIX) || e.getKey().length() == STATE_PREFIX.length() || e.getValue().length == 0) {
                throw new IllegalArgumentException(NAME + ": state key '" + e.getKey() + "' with " + e.getValue().length
                        + " values is no power-iteration vector; expected u.<parameter> with at least one value");
            }
            for (double x : e.getValue()) {
                if (!Double.isFinite(x) || (double) (float) x != x) {
                    throw new IllegalArgumentException(NAME + ": state '" + e.getKey() + "' holds " + x + ", expected finite float values");
                }
            }
        }
    }

    @Override
    public void restoreState(Map<String, double[]> state) {
        checkState(state);
        leftVectors.clear();
        state.forEach((key, d) -> {
            float[] u = new float[d.length];
            for (int i = 0; i < d.length; i++) u[i] = (float) d[i];
            leftVectors.put(key.substring(STATE_PREFIX.length()), u);
        });
    }

    @Override
    public String toString() {
        return spec;
    }
}
