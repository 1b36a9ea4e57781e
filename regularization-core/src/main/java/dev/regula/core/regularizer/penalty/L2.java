package dev.regula.core.regularizer.penalty;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterSelector;
import dev.regula.api.regularizer.CoupledDecay;
import dev.regula.api.schedule.Schedule;
import java.util.Objects;

/**
 * L2 penalty R(θ) = λ_t/2·‖θ‖², with gradient λ_t·θ (Regula's convention, the one that makes
 * coupled L2 with plain SGD equal to weight decay θ ← θ − η·λ·θ).
 *
 * @param lambda the strength λ_t, a schedule of (step, epoch)
 * @param selector the parameters acted on
 * @param spec the canonical spec
 */
record L2(Schedule lambda, ParameterSelector selector, String spec) implements CoupledDecay {
    L2 {
        Objects.requireNonNull(lambda, "lambda");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(spec, "spec");
    }

    @Override
    public String name() {
        return L2Provider.NAME;
    }

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
}
