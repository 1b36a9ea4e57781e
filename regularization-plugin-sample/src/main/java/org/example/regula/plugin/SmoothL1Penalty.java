package org.example.regula.plugin;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterSelector;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.regularizer.Stage;
import dev.regula.api.schedule.Schedule;
import java.util.Objects;

/**
 * The smooth L1 (Huber) penalty R(θ) = λ·Σᵢ s_δ(θᵢ) with
 * <pre>
 *   s_δ(x) = x² / (2δ)      if |x| ≤ δ
 *          = |x| − δ/2      otherwise
 * </pre>
 * and gradient ∂R/∂θᵢ = λ·clamp(θᵢ/δ, −1, 1). It is the Huber function divided by δ (PyTorch's
 * {@code SmoothL1Loss} with β = δ, applied to parameters).
 *
 * <p>Why it is useful: far from zero it pulls every weight towards zero with the constant force λ
 * of L1, so it does not shrink large weights proportionally as L2 does; near zero it is quadratic,
 * so the gradient is continuous and small weights do not oscillate around zero under plain
 * (sub)gradient L1. As δ → 0 it tends to L1, as δ grows it becomes (λ/δ)/2·‖θ‖², that is L2 with
 * strength λ/δ. It acts at the {@link Stage#GRADIENT} stage, so every optimizer sees it.
 *
 * <p>Instances are immutable and may be shared between parameters; λ is read from its schedule
 * at each step.
 */
final class SmoothL1Penalty implements ParameterRegularizer {
    private final Schedule lambda;
    private final double delta;
    private final ParameterSelector selector;

    /**
     * @param lambda the strength schedule, values ≥ 0
     * @param delta the width of the quadratic zone, finite and > 0
     * @param selector the parameters acted on
     */
    SmoothL1Penalty(Schedule lambda, double delta, ParameterSelector selector) {
        this.lambda = Objects.requireNonNull(lambda, "lambda");
        this.selector = Objects.requireNonNull(selector, "selector");
        if (!(delta > 0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException("smooth-l1: delta must be finite and > 0, got " + delta);
        }
        this.delta = delta;
    }

    @Override
    public String name() {
        return SmoothL1Provider.NAME;
    }

    @Override
    public String spec() {
        return SmoothL1Provider.NAME + "(lambda=" + lambda.text() + ", delta=" + delta + ", on=" + selector.text() + ")";
    }

    @Override
    public Stage stage() {
        return Stage.GRADIENT;
    }

    @Override
    public ParameterSelector selector() {
        return selector;
    }

    /** @return λ·Σ s_δ(θ), accumulated in double */
    @Override
    public double penalty(Parameter p, StepContext ctx) {
        double l = lambda.valueAt(ctx.step(), ctx.epoch());
        if (l == 0) return 0;
        float[] v = p.value().data();
        double sum = 0;
        for (float x : v) {
            double a = Math.abs(x);
            sum += a <= delta ? a * a / (2 * delta) : a - delta / 2;
        }
        return l * sum;
    }

    /** Adds λ·clamp(θ/δ, −1, 1) to the gradient. */
    @Override
    public void apply(Parameter p, StepContext ctx) {
        double l = lambda.valueAt(ctx.step(), ctx.epoch());
        if (l == 0) return;
        float[] v = p.value().data();
        float[] g = p.grad().data();
        double inv = 1 / delta;
        for (int i = 0; i < v.length; i++) {
            double t = Math.max(-1.0, Math.min(1.0, v[i] * inv));
            g[i] += (float) (l * t);
        }
    }

    @Override
    public String toString() {
        return spec();
    }
}
