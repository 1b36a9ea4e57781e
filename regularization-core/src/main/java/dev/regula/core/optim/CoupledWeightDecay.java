package dev.regula.core.optim;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterSelector;
import dev.regula.api.regularizer.CoupledDecay;
import dev.regula.api.schedule.Schedule;
import java.util.Objects;

/**
 * The {@code weight_decay} of {@code sgd}, {@code adam} and {@code rmsprop} with PyTorch's
 * meaning: coupled, g ← g + λ_t·θ before the update (so it passes through momentum and Adam's
 * moments), on every parameter by default (PyTorch decays biases and normalisation scales too,
 * unless parameter groups set their {@code weight_decay} to 0; here {@code decay_on} plays the
 * role of the groups). It is the gradient of λ_t/2·‖θ‖², which {@link #penalty} reports, so
 * {@code sgd(weight_decay=λ)} is the same step as {@code sgd} with {@code l2(lambda=λ, on=all)}.
 *
 * @param lambda the decay λ_t
 * @param selector the parameters decayed
 * @param optimizer the name of the optimizer implying it
 */
record CoupledWeightDecay(Schedule lambda, ParameterSelector selector, String optimizer) implements CoupledDecay {
    CoupledWeightDecay {
        Objects.requireNonNull(lambda, "lambda");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(optimizer, "optimizer");
    }

    @Override
    public String name() {
        return optimizer + "-weight-decay";
    }

    /** @return a description of the form {@code sgd-weight-decay(weight_decay=..., on=...)}, implied by the optimizer */
    @Override
    public String spec() {
        return name() + "(weight_decay=" + lambda.text() + ", on=" + selector + ")";
    }

    /** @return λ_t/2·‖θ‖², the objective term whose gradient this decay adds */
    @Override
    public double penalty(Parameter p, StepContext ctx) {
        double l = lambda.valueAt(ctx.step(), ctx.epoch());
        if (l == 0) return 0;
        float[] x = p.value().data();
        return 0.5 * l * ctx.kernels().sumSquares(x.length, x, 0);
    }

    @Override
    public float decayCoefficient(Parameter p, StepContext ctx) {
        return (float) lambda.valueAt(ctx.step(), ctx.epoch());
    }

    @Override
    public void apply(Parameter p, StepContext ctx) {
        float l = decayCoefficient(p, ctx);
        if (l == 0f) return;
        float[] x = p.value().data();
        ctx.kernels().axpy(x.length, l, x, 0, p.grad().data(), 0);
    }

    @Override
    public String toString() {
        return spec();
    }
}
