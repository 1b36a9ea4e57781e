package dev.regula.core.regularizer.penalty;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterSelector;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.regularizer.Stage;
import dev.regula.api.schedule.Schedule;
import java.util.Objects;

/**
 * Elastic net R(θ) = λ1_t·‖θ‖₁ + λ2_t/2·‖θ‖², gradient λ1_t·sign(θ) + λ2_t·θ: the sum of
 * {@code l1(lambda=l1)} and {@code l2(lambda=l2)} with two independent strengths. The
 * scikit-learn parametrisation (λ, mixing α) is {@code l1 = λ·α}, {@code l2 = λ·(1 − α)}.
 *
 * @param l1 the L1 strength λ1_t
 * @param l2 the L2 strength λ2_t
 * @param selector the parameters acted on
 * @param spec the canonical spec
 */
record ElasticNet(Schedule l1, Schedule l2, ParameterSelector selector, String spec) implements ParameterRegularizer {
    ElasticNet {
        Objects.requireNonNull(l1, "l1");
        Objects.requireNonNull(l2, "l2");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(spec, "spec");
    }

    @Override
    public String name() {
        return ElasticNetProvider.NAME;
    }

    @Override
    public Stage stage() {
        return Stage.GRADIENT;
    }

    @Override
    public double penalty(Parameter p, StepContext ctx) {
        double a = l1.valueAt(ctx.step(), ctx.epoch());
        double b = l2.valueAt(ctx.step(), ctx.epoch());
        float[] x = p.value().data();
        double r = 0;
        if (a != 0) r += a * ctx.kernels().sumAbs(x.length, x, 0);
        if (b != 0) r += 0.5 * b * ctx.kernels().sumSquares(x.length, x, 0);
        return r;
    }

    @Override
    public void apply(Parameter p, StepContext ctx) {
        double a = l1.valueAt(ctx.step(), ctx.epoch());
        double b = l2.valueAt(ctx.step(), ctx.epoch());
        float[] x = p.value().data();
        float[] g = p.grad().data();
        if (a != 0) ctx.kernels().addScaledSign(x.length, (float) a, x, 0, g, 0);
        if (b != 0) ctx.kernels().axpy(x.length, (float) b, x, 0, g, 0);
    }
}
