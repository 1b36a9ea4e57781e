package dev.regula.core.regularizer.constraint;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterSelector;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.regularizer.Stage;
import dev.regula.core.regularizer.support.Axis;
import java.util.Objects;

/**
 * Unit-norm constraint: every row (or column) is scaled to Euclidean norm 1. A zero row has no
 * direction and stays zero.
 *
 * @param axis rows (the default) or columns of the {@code [dim0, rest]} view
 * @param selector the parameters acted on
 * @param spec the canonical spec
 */
record UnitNorm(Axis axis, ParameterSelector selector, String spec) implements ParameterRegularizer {
    UnitNorm {
        Objects.requireNonNull(axis, "axis");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(spec, "spec");
    }

    @Override
    public String name() {
        return UnitNormProvider.NAME;
    }

    @Override
    public Stage stage() {
        return Stage.CONSTRAINT;
    }

    @Override
    public void apply(Parameter p, StepContext ctx) {
        NormProjection.apply(p, ctx, axis, norm -> norm > 0 ? 1.0 / norm : 1.0);
    }
}
