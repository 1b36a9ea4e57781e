package dev.regula.core.regularizer.constraint;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterSelector;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.regularizer.Stage;
import dev.regula.core.regularizer.support.Axis;
import java.util.Objects;

/**
 * Min-max-norm constraint as in Keras {@code MinMaxNorm}: each row's norm n is moved to
 * {@code rate·clip(n, min, max) + (1 − rate)·n} by rescaling the row. With {@code rate = 1} (the
 * default) this is the projection onto min ≤ ‖w_r‖ ≤ max and is idempotent; with
 * {@code rate < 1} every application moves the norm only part of the way, so applying it twice
 * differs from once (a relaxation, not a projection). A zero row has no direction and stays zero
 * even when {@code min > 0}. Unlike Keras there is no ε in the division.
 *
 * @param min smallest norm, ≥ 0
 * @param max largest norm, ≥ min and &gt; 0
 * @param rate how far to move, in (0, 1]
 * @param axis rows (the default) or columns of the {@code [dim0, rest]} view
 * @param selector the parameters acted on
 * @param spec the canonical spec
 */
record MinMaxNorm(double min, double max, double rate, Axis axis, ParameterSelector selector, String spec)
        implements ParameterRegularizer {
    MinMaxNorm {
        if (!(min >= 0 && min <= max && max > 0) || Double.isInfinite(max)) {
            throw new IllegalArgumentException("need 0 <= min <= max, max > 0 and finite; got min=" + min + ", max=" + max);
        }
        if (!(rate > 0 && rate <= 1)) throw new IllegalArgumentException("rate must be in (0, 1], got " + rate);
        Objects.requireNonNull(axis, "axis");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(spec, "spec");
    }

    @Override
    public String name() {
        return MinMaxNormProvider.NAME;
    }

    @Override
    public Stage stage() {
        return Stage.CONSTRAINT;
    }

    @Override
    public void apply(Parameter p, StepContext ctx) {
        NormProjection.apply(p, ctx, axis, norm -> {
            if (norm == 0 || (norm >= min && norm <= max)) return 1.0;
            double target = rate * Math.min(Math.max(norm, min), max) + (1 - rate) * norm;
            return target / norm;
        });
    }
}
