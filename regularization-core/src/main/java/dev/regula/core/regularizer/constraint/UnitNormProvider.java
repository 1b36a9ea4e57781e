package dev.regula.core.regularizer.constraint;

import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;
import dev.regula.core.regularizer.support.Axis;
import dev.regula.core.regularizer.support.Keys;

/**
 * Publishes {@code unit-norm(axis=rows, on=weights)}: scales each row to norm 1, zero rows stay
 * zero (CONSTRAINT stage). See {@link UnitNorm}.
 */
public final class UnitNormProvider extends BaseRegularizerProvider {
    static final String NAME = "unit-norm";

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public UnitNormProvider() {
        super("Unit-norm: rescale each row to Euclidean norm 1; zero rows stay zero (CONSTRAINT stage)",
                SpecSchema.of("regularizer", NAME,
                        Keys.axis("axis", "rows: per output unit (dim 0 of [dim0, rest]); columns: per input"),
                        Keys.onWeights()),
                a -> new UnitNorm(Axis.parse(a.text("axis")), a.selector("on"), a.toSpec().toString()));
    }
}
