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
 * <p>The same record is Keras' {@code l1_l2} ({@code keras-l1-l2}) with the factor of the squared
 * norm set to 1 instead of ½: R(θ) = l1_t·Σ|θ| + l2_t·Σθ², gradient l1_t·sign(θ) + 2·l2_t·θ, so
 * {@code keras-l1-l2(l1=a, l2=b)} equals {@code elastic-net(l1=a, l2=2b)}.
 *
 * @param name the provider name ({@code elastic-net} or {@code keras-l1-l2})
 * @param l1 the L1 strength λ1_t
 * @param l2 the L2 strength λ2_t
 * @param squareFactor the factor of l2_t·‖θ‖² in R: ½ for elastic-net, 1 for Keras
 * @param selector the parameters acted on
 * @param spec the canonical spec
 */
record ElasticNet(String name, Schedule l1, Schedule l2, double squareFactor, ParameterSelector selector, String spec)
        implements ParameterRegularizer {
    ElasticNet {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(l1, "l1");
        Objects.requireNonNull(l2, "l2");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(spec, "spec");
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
        if (b != 0) r += squareFactor * b * ctx.kernels().sumSquares(x.length, x, 0);
        return r;
    }

    @Override
    public void apply(Parameter p, StepContext ctx) {
        double a = l1.valueAt(ctx.step(), ctx.epoch());
        double b = l2.valueAt(ctx.step(), ctx.epoch());
        float[] x = p.value().data();
        float[] g = p.grad().data();
        if (a != 0) ctx.kernels().addScaledSign(x.length, (float) a, x, 0, g, 0);
        if (b != 0) ctx.kernels().axpy(x.length, (float) (2 * squareFactor * b), x, 0, g, 0);
    }
}
