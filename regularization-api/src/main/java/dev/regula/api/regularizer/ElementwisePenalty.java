package dev.regula.api.regularizer;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterSelector;
import dev.regula.api.schedule.Schedule;
import dev.regula.api.spec.SpecArguments;
import java.util.Objects;

/**
 * A plugin author's base for an element-wise penalty R(θ) = λ_t·Σᵢ r(θᵢ) at the
 * {@link Stage#GRADIENT} stage, with gradient ∂R/∂θᵢ = λ_t·r′(θᵢ). A subclass gives r and r′ and
 * nothing else; the name, the spec, the stage, the selector, the λ schedule, the penalty sum and
 * the gradient update are done here:
 *
 * <pre>{@code
 * final class SmoothL1Penalty extends ElementwisePenalty {
 *     private final double delta;
 *
 *     SmoothL1Penalty(SpecArguments args) {
 *         super(args);                              // reads "lambda" and "on"
 *         this.delta = args.number("delta");
 *     }
 *
 *     protected double value(double x) {
 *         double a = Math.abs(x);
 *         return a <= delta ? a * a / (2 * delta) : a - delta / 2;
 *     }
 *
 *     protected double derivative(double x) {
 *         return Math.max(-1, Math.min(1, x / delta));
 *     }
 * }
 * }</pre>
 *
 * <p>Contract: {@link #penalty} is λ_t·Σᵢ {@link #value}(θᵢ), summed in double; {@link #apply}
 * adds λ_t·{@link #derivative}(θᵢ) to each gradient element and never changes θ; at λ_t = 0 both do
 * nothing. λ_t is read from the schedule at {@code ctx.step()} and {@code ctx.epoch()}. The
 * subclass's r′ must be the derivative of its r (check it with finite differences, as the sample
 * plugin does) and both must be pure functions of x, so that instances may be shared. A penalty
 * that is not a sum over elements, or that acts at another stage, implements
 * {@link ParameterRegularizer} directly.
 */
public abstract class ElementwisePenalty implements ParameterRegularizer {
    private final String name;
    private final String spec;
    private final Schedule lambda;
    private final ParameterSelector selector;

    /**
     * From validated arguments whose schema has a schedule key {@code lambda} and the selector key
     * {@code on} ({@link dev.regula.api.spec.SpecKey#selector}); the spec is their canonical text,
     * defaults included.
     *
     * @param args the arguments a provider's factory receives
     * @throws IllegalStateException if the schema declares no {@code lambda} or no {@code on} key
     */
    protected ElementwisePenalty(SpecArguments args) {
        this(args.toSpec().name(), args.toSpec().toString(), args.schedule("lambda"), args.selector("on"));
    }

    /**
     * @param name the provider name, e.g. {@code smooth-l1}
     * @param spec the canonical spec that recreates this penalty
     * @param lambda the strength λ_t, values ≥ 0
     * @param selector the parameters acted on
     */
    protected ElementwisePenalty(String name, String spec, Schedule lambda, ParameterSelector selector) {
        this.name = Objects.requireNonNull(name, "name");
        this.spec = Objects.requireNonNull(spec, "spec");
        this.lambda = Objects.requireNonNull(lambda, "lambda");
        this.selector = Objects.requireNonNull(selector, "selector");
    }

    /**
     * @param x one parameter element θᵢ
     * @return r(x), the penalty of one element before the factor λ
     */
    protected abstract double value(double x);

    /**
     * @param x one parameter element θᵢ
     * @return r′(x), the derivative of {@link #value} at x
     */
    protected abstract double derivative(double x);

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String spec() {
        return spec;
    }

    /** @return {@link Stage#GRADIENT}: the gradient of the penalty is added before the optimizer runs */
    @Override
    public final Stage stage() {
        return Stage.GRADIENT;
    }

    @Override
    public final ParameterSelector selector() {
        return selector;
    }

    /** @return the strength schedule λ_t */
    public final Schedule lambda() {
        return lambda;
    }

    /** @return λ_t·Σᵢ r(θᵢ), summed in double */
    @Override
    public final double penalty(Parameter p, StepContext ctx) {
        double l = lambda.valueAt(ctx.step(), ctx.epoch());
        if (l == 0) return 0;
        double sum = 0;
        for (float x : p.value().data()) sum += value(x);
        return l * sum;
    }

    /** Adds λ_t·r′(θᵢ) to each element of the gradient. */
    @Override
    public final void apply(Parameter p, StepContext ctx) {
        double l = lambda.valueAt(ctx.step(), ctx.epoch());
        if (l == 0) return;
        float[] v = p.value().data();
        float[] g = p.grad().data();
        for (int i = 0; i < v.length; i++) g[i] += (float) (l * derivative(v[i]));
    }

    /** @return the spec */
    @Override
    public final String toString() {
        return spec;
    }
}
