package dev.regula.core.regularizer.clip;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.regularizer.GradientClipper;
import java.util.List;

/**
 * Value clipping (PyTorch {@code clip_grad_value_}): every gradient entry is clamped to
 * [−max, max]. This changes the gradient's direction; {@link #clip} returns the global L2 norm
 * measured before clipping, for metrics.
 *
 * @param max the bound, &gt; 0
 * @param spec the canonical spec
 */
record ClipValue(double max, String spec) implements GradientClipper {
    ClipValue {
        if (!(max > 0) || Double.isInfinite(max)) throw new IllegalArgumentException("max must be finite and > 0, got " + max);
        java.util.Objects.requireNonNull(spec, "spec");
    }

    @Override
    public String name() {
        return ClipValueProvider.NAME;
    }

    /** @return the global gradient norm before clipping */
    @Override
    public double clip(List<Parameter> parameters, StepContext ctx) {
        double norm = GlobalNorm.of(parameters, ctx.kernels());
        float m = (float) max;
        for (Parameter p : parameters) {
            float[] g = p.grad().data();
            ctx.kernels().clamp(g.length, -m, m, g, 0);
        }
        return norm;
    }
}
