package dev.regula.core.regularizer.constraint;

import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;
import dev.regula.core.regularizer.support.Axis;
import dev.regula.core.regularizer.support.Keys;

/**
 * Publishes {@code max-norm(max=3, axis=rows, on=weights)}: projects each row (a unit's incoming
 * weights) onto ‖w_r‖ ≤ max (CONSTRAINT stage). See {@link MaxNorm}.
 */
public final class MaxNormProvider extends BaseRegularizerProvider {
    static final String NAME = "max-norm";

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public MaxNormProvider() {
        super("Max-norm: rescale each row (a unit's incoming weights) to norm <= max (CONSTRAINT stage)",
                SpecSchema.of("regularizer", NAME,
                        Keys.positive("max", "3", "largest Euclidean norm allowed for a row"),
                        Keys.axis("axis", "rows: per output unit (dim 0 of [dim0, rest]); columns: per input"),
                        Keys.onWeights()),
                a -> new MaxNorm(a.number("max"), Axis.parse(a.text("axis")), a.selector("on"), a.toSpec().toString()));
    }
}
