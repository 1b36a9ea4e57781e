package dev.regula.core.regularizer.constraint;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterSelector;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.regularizer.Stage;
import java.util.Objects;

/**
 * Non-negativity constraint: θ ← max(θ, 0) element-wise, the projection onto the non-negative
 * orthant.
 *
 * @param selector the parameters acted on
 * @param spec the canonical spec
 */
record NonNegative(ParameterSelector selector, String spec) implements ParameterRegularizer {
    NonNegative {
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(spec, "spec");
    }

    @Override
    public String name() {
        return NonNegativeProvider.NAME;
    }

    @Override
    public Stage stage() {
        return Stage.CONSTRAINT;
    }

    @Override
    public void apply(Parameter p, StepContext ctx) {
        float[] x = p.value().data();
        ctx.kernels().clamp(x.length, 0f, Float.POSITIVE_INFINITY, x, 0);
    }
}
