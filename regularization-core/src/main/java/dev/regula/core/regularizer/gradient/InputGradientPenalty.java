package dev.regula.core.regularizer.gradient;

import dev.regula.api.StepContext;
import dev.regula.api.regularizer.InputGradientRegularizer;
import dev.regula.api.schedule.Schedule;
import dev.regula.api.spec.SpecArguments;

/**
 * The input-gradient penalty λ/2·(1/B)·Σᵢ‖∇_{xᵢ}ℓᵢ‖² (Drucker &amp; LeCun 1992), computed by the
 * trainer with a finite-difference second pass (see {@link InputGradientRegularizer}).
 */
final class InputGradientPenalty implements InputGradientRegularizer {
    private final String spec;
    private final Schedule lambda;
    private final double step;

    InputGradientPenalty(SpecArguments a) {
        this.spec = a.toSpec().toString();
        this.lambda = a.schedule("lambda");
        this.step = a.number("step");
    }

    @Override
    public String name() {
        return InputGradientPenaltyProvider.NAME;
    }

    @Override
    public String spec() {
        return spec;
    }

    @Override
    public double strength(StepContext ctx) {
        return lambda.valueAt(ctx.step(), ctx.epoch());
    }

    @Override
    public double step() {
        return step;
    }

    @Override
    public String toString() {
        return spec;
    }
}
