package dev.regula.core.regularizer.constraint;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterSelector;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.regularizer.Stage;
import dev.regula.core.regularizer.support.Axis;
import java.util.Objects;

/**
 * Max-norm constraint (Srebro et al. 2005; used with dropout by Srivastava et al. 2014): every
 * row of the weight, i.e. the incoming weights of one unit in the {@code [out, in]} layout, is
 * projected onto the ball ‖w_r‖₂ ≤ max: rows with a larger norm are scaled by max/‖w_r‖, the
 * others are left untouched. (Keras divides by ε + ‖w_r‖, which is not a projection; this is the
 * exact one.)
 *
 * @param max the radius, &gt; 0
 * @param axis rows (the default) or columns of the {@code [dim0, rest]} view
 * @param selector the parameters acted on
 * @param spec the canonical spec
 */
record MaxNorm(double max, Axis axis, ParameterSelector selector, String spec) implements ParameterRegularizer {
    MaxNorm {
        if (!(max > 0) || Double.isInfinite(max)) throw new IllegalArgumentException("max must be finite and > 0, got " + max);
        Objects.requireNonNull(axis, "axis");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(spec, "spec");
    }

    @Override
    public String name() {
        return MaxNormProvider.NAME;
    }

    @Override
    public Stage stage() {
        return Stage.CONSTRAINT;
    }

    @Override
    public void apply(Parameter p, StepContext ctx) {
        NormProjection.apply(p, ctx, axis, norm -> norm > max ? max / norm : 1.0);
    }
}
