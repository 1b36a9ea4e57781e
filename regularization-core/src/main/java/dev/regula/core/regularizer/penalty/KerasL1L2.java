package dev.regula.core.regularizer.penalty;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterSelector;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.regularizer.Stage;
import dev.regula.api.schedule.Schedule;
import java.util.Objects;

/**
 * Keras' {@code regularizers.l1_l2(l1, l2)} with Keras' factors: R(θ) = l1_t·Σ|θ| + l2_t·Σθ²,
 * gradient l1_t·sign(θ) + 2·l2_t·θ. It differs from {@code elastic-net(l1, l2)}, whose L2 part is
 * l2/2·‖θ‖²: {@code keras-l1-l2(l1=a, l2=b)} equals {@code elastic-net(l1=a, l2=2b)}, and Keras'
 * {@code l2(b)} equals Regula's {@code l2(lambda=2b)}.
 *
 * @param l1 the L1 factor
 * @param l2 the L2 factor (of Σθ², not of Σθ²/2)
 * @param selector the parameters acted on
 * @param spec the canonical spec
 */
record KerasL1L2(Schedule l1, Schedule l2, ParameterSelector selector, String spec) implements ParameterRegularizer {
    KerasL1L2 {
        Objects.requireNonNull(l1, "l1");
        Objects.requireNonNull(l2, "l2");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(spec, "spec");
    }

    @Override
    public String name() {
        return KerasL1L2Provider.NAME;
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
        if (b != 0) r += b * ctx.kernels().sumSquares(x.length, x, 0);
        return r;
    }

    @Override
    public void apply(Parameter p, StepContext ctx) {
        double a = l1.valueAt(ctx.step(), ctx.epoch());
        double b = l2.valueAt(ctx.step(), ctx.epoch());
        float[] x = p.value().data();
        float[] g = p.grad().data();
        if (a != 0) ctx.kernels().addScaledSign(x.length, (float) a, x, 0, g, 0);
        if (b != 0) ctx.kernels().axpy(x.length, (float) (2 * b), x, 0, g, 0);
    }
}
