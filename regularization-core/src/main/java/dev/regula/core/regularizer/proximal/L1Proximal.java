package dev.regula.core.regularizer.proximal;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterSelector;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.regularizer.Stage;
import dev.regula.api.schedule.Schedule;
import java.util.Objects;

/**
 * L1 by its proximal operator: after the update, θ ← S(θ, η_t·λ_t) with the soft-thresholding
 * S(x, t) = sign(x)·max(|x| − t, 0), the minimiser of ½‖x − θ‖² + t·‖x‖₁. Entries with
 * |θ| ≤ η_t·λ_t become exact zeros. {@link #penalty} reports λ_t·‖θ‖₁ (the term being minimised)
 * but adds no gradient; η_t is {@link StepContext#learningRate()} (0 in eval: no change).
 *
 * @param lambda the strength λ_t
 * @param selector the parameters acted on
 * @param spec the canonical spec
 */
record L1Proximal(Schedule lambda, ParameterSelector selector, String spec) implements ParameterRegularizer {
    L1Proximal {
        Objects.requireNonNull(lambda, "lambda");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(spec, "spec");
    }

    @Override
    public String name() {
        return L1ProximalProvider.NAME;
    }

    @Override
    public Stage stage() {
        return Stage.PROXIMAL;
    }

    @Override
    public double penalty(Parameter p, StepContext ctx) {
        double l = lambda.valueAt(ctx.step(), ctx.epoch());
        if (l == 0) return 0;
        float[] x = p.value().data();
        return l * ctx.kernels().sumAbs(x.length, x, 0);
    }

    @Override
    public void apply(Parameter p, StepContext ctx) {
        double t = ctx.learningRate() * lambda.valueAt(ctx.step(), ctx.epoch());
        if (t == 0) return;
        float[] x = p.value().data();
        ctx.kernels().softThreshold(x.length, (float) t, x, 0);
    }
}
