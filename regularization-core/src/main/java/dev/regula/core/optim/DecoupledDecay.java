package dev.regula.core.optim;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterSelector;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.regularizer.Stage;
import dev.regula.api.schedule.Schedule;
import java.util.Objects;

/**
 * AdamW's decoupled weight decay (Loshchilov &amp; Hutter 2019), implied by the {@code adamw}
 * optimizer: at the {@link Stage#DECOUPLED} stage, just before the Adam update and so on the
 * pre-update weights, θ ← θ − η_t·λ_t·θ with η_t the step's learning rate and λ_t the {@code weight_decay} schedule, on the parameters of {@code decay_on}: by default
 * role WEIGHT only, never biases or normalisation scales ({@link #apply} leaves any other parameter
 * untouched); {@code decay_on=all} is PyTorch's default of one group holding every parameter.
 * It adds no penalty to the objective.
 */
final class DecoupledDecay implements ParameterRegularizer {
    private final Schedule lambda;
    private final ParameterSelector selector;

    DecoupledDecay(Schedule lambda, ParameterSelector selector) {
        this.lambda = Objects.requireNonNull(lambda);
        this.selector = Objects.requireNonNull(selector);
    }

    @Override
    public String name() {
        return "adamw-weight-decay";
    }

    /** @return a description of the form {@code adamw-weight-decay(weight_decay=..., on=weights)}, implied by adamw */
    @Override
    public String spec() {
        return name() + "(weight_decay=" + lambda.text() + ", on=" + selector + ")";
    }

    @Override
    public Stage stage() {
        return Stage.DECOUPLED;
    }

    @Override
    public ParameterSelector selector() {
        return selector;
    }

    @Override
    public void apply(Parameter p, StepContext ctx) {
        if (!selector.test(p)) return;
        double factor = 1 - ctx.learningRate() * lambda.valueAt(ctx.step(), ctx.epoch());
        if (factor == 1) return;
        ctx.kernels().scale(p.size(), (float) factor, p.value().data(), 0);
    }

    @Override
    public String toString() {
        return spec();
    }
}
