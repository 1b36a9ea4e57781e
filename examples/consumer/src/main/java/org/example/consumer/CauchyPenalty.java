package org.example.consumer;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterSelector;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.regularizer.Stage;
import dev.regula.api.schedule.Schedule;
import java.util.Objects;

/**
 * The Cauchy (Lorentzian) penalty R(θ) = λ·Σᵢ c²/2·log(1 + (θᵢ/c)²), with gradient
 * ∂R/∂θᵢ = λ·θᵢ / (1 + (θᵢ/c)²). Near zero it is λ/2·θ², like L2; far from zero its pull on a
 * weight fades (it tends to λc²/θ), so a few large, useful weights survive. Acts at the
 * {@link Stage#GRADIENT} stage. Immutable.
 */
final class CauchyPenalty implements ParameterRegularizer {
    private final Schedule lambda;
    private final double c;
    private final ParameterSelector selector;

    /**
     * @param lambda strength schedule, values ≥ 0
     * @param c scale, finite and > 0
     * @param selector the parameters acted on
     */
    CauchyPenalty(Schedule lambda, double c, ParameterSelector selector) {
        this.lambda = Objects.requireNonNull(lambda, "lambda");
        this.selector = Objects.requireNonNull(selector, "selector");
        if (!(c > 0) || Double.isInfinite(c)) {
            throw new IllegalArgumentException("cauchy: c must be finite and > 0, got " + c);
        }
        this.c = c;
    }

    @Override
    public String name() {
        return CauchyProvider.NAME;
    }

    @Override
    public String spec() {
        return CauchyProvider.NAME + "(lambda=" + lambda.text() + ", c=" + c + ", on=" + selector.text() + ")";
    }

    @Override
    public Stage stage() {
        return Stage.GRADIENT;
    }

    @Override
    public ParameterSelector selector() {
        return selector;
    }

    /** @return λ·Σ c²/2·log(1 + (θ/c)²), accumulated in double */
    @Override
    public double penalty(Parameter p, StepContext ctx) {
        double l = lambda.valueAt(ctx.step(), ctx.epoch());
        if (l == 0) return 0;
        double sum = 0;
        for (float x : p.value().data()) {
            double r = x / c;
            sum += Math.log1p(r * r);
        }
        return l * c * c / 2 * sum;
    }

    /** Adds λ·θ/(1 + (θ/c)²) to the gradient. */
    @Override
    public void apply(Parameter p, StepContext ctx) {
        double l = lambda.valueAt(ctx.step(), ctx.epoch());
        if (l == 0) return;
        float[] v = p.value().data();
        float[] g = p.grad().data();
        for (int i = 0; i < v.length; i++) {
            double r = v[i] / c;
            g[i] += (float) (l * v[i] / (1 + r * r));
        }
    }

    @Override
    public String toString() {
        return spec();
    }
}
