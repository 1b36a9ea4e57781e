package dev.regula.core.regularizer.penalty;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterSelector;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.regularizer.Stage;
import dev.regula.api.schedule.Schedule;
import java.util.Objects;

/**
 * The unsquared norm of each selected parameter, R(θ) = λ_t·‖θ‖_p, as the recipe
 * {@code loss + lam * torch.norm(layer.weight, p)} writes it (the norm of the whole tensor:
 * Frobenius for p = 2). Gradient: for p = 1, λ·sign(θ) (the same as {@code l1}); for p = 2,
 * λ·θ/‖θ‖₂, a pull of constant length λ whatever the size of θ, unlike L2's λ·θ, and 0 at θ = 0
 * (a subgradient there).
 *
 * @param lambda the strength λ_t
 * @param p the norm, 1 or 2
 * @param selector the parameters acted on, each penalised by its own norm
 * @param spec the canonical spec
 */
record NormPenalty(Schedule lambda, int p, ParameterSelector selector, String spec) implements ParameterRegularizer {
    NormPenalty {
        Objects.requireNonNull(lambda, "lambda");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(spec, "spec");
        if (p != 1 && p != 2) throw new IllegalArgumentException("norm-penalty: p must be 1 or 2, got " + p);
    }

    @Override
    public String name() {
        return NormPenaltyProvider.NAME;
    }

    @Override
    public Stage stage() {
        return Stage.GRADIENT;
    }

    @Override
    public double penalty(Parameter param, StepContext ctx) {
        double l = lambda.valueAt(ctx.step(), ctx.epoch());
        if (l == 0) return 0;
        return l * norm(param, ctx);
    }

    @Override
    public void apply(Parameter param, StepContext ctx) {
        double l = lambda.valueAt(ctx.step(), ctx.epoch());
        if (l == 0) return;
        float[] x = param.value().data();
        float[] g = param.grad().data();
        if (p == 1) {
            ctx.kernels().addScaledSign(x.length, (float) l, x, 0, g, 0);
            return;
        }
        double n = norm(param, ctx);
        if (n == 0) return;
        ctx.kernels().axpy(x.length, (float) (l / n), x, 0, g, 0);
    }

    private double norm(Parameter param, StepContext ctx) {
        float[] x = param.value().data();
        return p == 1 ? ctx.kernels().sumAbs(x.length, x, 0) : Math.sqrt(ctx.kernels().sumSquares(x.length, x, 0));
    }
}
