package dev.regula.core.regularizer.penalty;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterSelector;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.regularizer.Stage;
import dev.regula.api.schedule.Schedule;
import java.util.Objects;

/**
 * L1 penalty R(θ) = λ_t·‖θ‖₁, with the subgradient λ_t·sign(θ) (sign(0) = 0). Being a plain
 * subgradient, it drives weights towards zero but rarely to exactly zero; use {@code l1-proximal}
 * for exact sparsity.
 *
 * @param lambda the strength λ_t, a schedule of (step, epoch)
 * @param selector the parameters acted on
 * @param spec the canonical spec
 */
record L1(Schedule lambda, ParameterSelector selector, String spec) implements ParameterRegularizer {
    L1 {
        Objects.requireNonNull(lambda, "lambda");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(spec, "spec");
    }

    @Override
    public String name() {
        return L1Provider.NAME;
    }

    @Override
    public Stage stage() {
        return Stage.GRADIENT;
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
        double l = lambda.valueAt(ctx.step(), ctx.epoch());
        if (l == 0) return;
        float[] x = p.value().data();
        ctx.kernels().addScaledSign(x.length, (float) l, x, 0, p.grad().data(), 0);
    }
}
