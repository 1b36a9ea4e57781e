package dev.regula.core.regularizer.soft;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterSelector;
import dev.regula.api.regularizer.Stage;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.schedule.Schedule;
import dev.regula.api.spec.SpecArguments;
import dev.regula.api.spec.SpecException;
import java.util.Locale;
import java.util.Objects;

/**
 * A soft norm constraint: the norm of each slice w_r of a parameter should lie in the band
 * [min, max]. The penalty is zero inside the band and quadratic outside:
 * <pre>R(θ) = Σ_r  λ/2·(‖w_r‖ − max)²  if ‖w_r‖ &gt; max,   λ/2·(min − ‖w_r‖)²  if ‖w_r‖ &lt; min,   0 otherwise</pre>
 * with gradient λ·(‖w_r‖ − max)·w_r/‖w_r‖ above and −λ·(min − ‖w_r‖)·w_r/‖w_r‖ below (a zero
 * slice has no direction and gets no gradient). Stage {@link Stage#GRADIENT}.
 *
 * <p>Slices ({@code axis}), viewing the parameter as [d0, rest]: {@code rows} = each of the d0
 * rows, {@code columns} = each of the rest columns, {@code all} = the whole tensor.
 *
 * <p><b>Annealing into the hard constraint.</b> With {@code anneal_steps} = S &gt; 0, from step S on
 * {@link #apply} first projects θ onto the band (slices above max scaled down to max, non-zero
 * slices below min scaled up to min), so the penalty and its gradient become zero and the
 * constraint is hard from then on. Because this happens at the GRADIENT stage, the projection is
 * of the weights <em>before</em> that step's update: a step may leave the band by at most one
 * update, which the next step removes. Before S, and with S = 0, it is purely soft; a rising
 * {@code lambda} schedule is the other way to harden it gradually. The projection is idempotent.
 */
public final class SoftConstraint implements ParameterRegularizer, dev.regula.core.regularizer.MayStayIdle {
    /** How a parameter is cut into slices whose norms are constrained. */
    enum Axis {
        /** Each row of the [d0, rest] view. */
        ROWS,
        /** Each column of the [d0, rest] view. */
        COLUMNS,
        /** The whole tensor. */
        ALL
    }

    /** Relative slack at the band's edges for the projection (a few float ulps). */
    private static final double EDGE_TOLERANCE = 1e-6;

    private final Schedule lambda;
    private final double max;
    private final double min;
    private final long annealSteps;
    private final Axis axis;
    private final ParameterSelector selector;
    private final String spec;
    private boolean acted;

    SoftConstraint(Schedule lambda, double min, double max, long annealSteps, Axis axis, ParameterSelector selector, String spec) {
        if (!(min <= max)) {
            throw new SpecException("regularizer 'soft-constraint': min=" + min + " must be <= max=" + max + "; allowed: 0 <= min <= max");
        }
        if (annealSteps < 0) throw new IllegalArgumentException("soft-constraint: anneal_steps must be >= 0, got " + annealSteps);
        this.lambda = Objects.requireNonNull(lambda, "lambda");
        this.min = min;
        this.max = max;
        this.annealSteps = annealSteps;
        this.axis = Objects.requireNonNull(axis, "axis");
        this.selector = Objects.requireNonNull(selector, "selector");
        this.spec = Objects.requireNonNull(spec, "spec");
    }

    static SoftConstraint create(SpecArguments a) {
        return new SoftConstraint(a.schedule("lambda"), a.number("min"), a.number("max"), a.integer("anneal_steps"),
                Axis.valueOf(a.text("axis").toUpperCase(Locale.ROOT)), a.selector("on"), a.toSpec().toString());
    }

    @Override
    public String name() {
        return "soft-constraint";
    }

    @Override
    public String spec() {
        return spec;
    }

    @Override
    public Stage stage() {
        return Stage.GRADIENT;
    }

    @Override
    public ParameterSelector selector() {
        return selector;
    }

    @Override
    public double penalty(Parameter p, StepContext ctx) {
        double lam = lambda.valueAt(ctx.step(), ctx.epoch());
        Slices s = slices(p);
        float[] v = p.value().data();
        double sum = 0;
        for (int r = 0; r < s.count(); r++) {
            double excess = excess(norm(v, s, r));
            sum += excess * excess;
        }
        return 0.5 * lam * sum;
    }

    /**
     * From step {@code anneal_steps} on (if &gt; 0) projects θ onto the band; then adds ∂R/∂θ.
     */
    @Override
    public void apply(Parameter p, StepContext ctx) {
        if (annealSteps > 0 && ctx.step() >= annealSteps && project(p)) acted = true;
        double lam = lambda.valueAt(ctx.step(), ctx.epoch());
        if (lam == 0) return;
        Slices s = slices(p);
        float[] v = p.value().data();
        float[] g = p.grad().data();
        for (int r = 0; r < s.count(); r++) {
            double norm = norm(v, s, r);
            double excess = excess(norm);
            if (excess == 0 || norm == 0) continue;
            acted = true;
            float f = (float) (lam * excess / norm);
            int off = s.offset(r);
            for (int i = 0; i < s.length(); i++) g[off + i * s.stride()] += f * v[off + i * s.stride()];
        }
    }

    /**
     * Projects every slice's norm into [min, max] (up to a relative 1e-6 at the edges, float
     * rounding); zero slices stay zero (they have no direction; their penalty stays λ/2·min² with
     * zero gradient). Idempotent.
     *
     * @param p the parameter to project in place
     * @return whether a slice was moved
     */
    public boolean project(Parameter p) {
        Slices s = slices(p);
        float[] v = p.value().data();
        boolean moved = false;
        for (int r = 0; r < s.count(); r++) {
            double norm = norm(v, s, r);
            // Norms within float rounding of an edge count as inside, so a second projection is a no-op.
            if (norm == 0 || (norm <= max * (1 + EDGE_TOLERANCE) && norm >= min * (1 - EDGE_TOLERANCE))) continue;
            double target = Math.min(Math.max(norm, min), max);
            float f = (float) (target / norm);
            int off = s.offset(r);
            for (int i = 0; i < s.length(); i++) v[off + i * s.stride()] *= f;
            moved = true;
        }
        return moved;
    }

    /**
     * @return whether it has acted on a parameter since it was made: added a gradient (a norm
     *     outside the band while λ &gt; 0) or moved a slice by its annealed projection
     */
    @Override
    public boolean acted() {
        return acted;
    }

    /** @return signed distance outside the band: positive above max, negative below min, 0 inside */
    private double excess(double norm) {
        if (norm > max) return norm - max;
        if (norm < min) return norm - min;
        return 0;
    }

    private static double norm(float[] v, Slices s, int r) {
        int off = s.offset(r);
        double sum = 0;
        for (int i = 0; i < s.length(); i++) {
            double x = v[off + i * s.stride()];
            sum += x * x;
        }
        return Math.sqrt(sum);
    }

    private Slices slices(Parameter p) {
        int n = p.size();
        int rows = p.value().rank() == 0 ? 1 : p.value().dim(0);
        int cols = rows == 0 ? 0 : n / rows;
        return switch (axis) {
            case ROWS -> new Slices(rows, cols, cols, 1);
            case COLUMNS -> new Slices(cols, rows, 1, cols);
            case ALL -> new Slices(1, n, 0, 1);
        };
    }

    /**
     * count slices of {@code length} elements; slice r starts at r·step and walks by stride.
     */
    private record Slices(int count, int length, int step, int stride) {
        int offset(int r) {
            return r * step;
        }
    }

    @Override
    public String toString() {
        return spec;
    }
}
