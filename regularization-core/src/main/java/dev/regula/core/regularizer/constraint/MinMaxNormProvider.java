package dev.regula.core.regularizer.constraint;

import dev.regula.api.spec.SpecArguments;
import dev.regula.api.spec.SpecException;
import dev.regula.api.spec.SpecKey;
import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;
import dev.regula.core.regularizer.support.Axis;
import dev.regula.core.regularizer.support.Keys;

/**
 * Publishes {@code min-max-norm(min=0, max=1, rate=1, axis=rows, on=weights)}: moves each row's
 * norm into [min, max] (CONSTRAINT stage, Keras semantics; a projection only for rate=1).
 * See {@link MinMaxNorm}.
 */
public final class MinMaxNormProvider extends BaseRegularizerProvider {
    static final String NAME = "min-max-norm";

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public MinMaxNormProvider() {
        super("Min-max-norm: rescale each row so its norm lies in [min, max]; rate<1 moves part of the way (CONSTRAINT stage)",
                SpecSchema.of("regularizer", NAME,
                        Keys.nonNegative("min", "0", "smallest Euclidean norm of a row"),
                        Keys.positive("max", "1", "largest Euclidean norm of a row, >= min"),
                        SpecKey.number("rate", "1", 0, false, 1, true,
                                "fraction of the way to the clipped norm; 1 is the exact projection"),
                        Keys.axis("axis", "rows: per output unit (dim 0 of [dim0, rest]); columns: per input"),
                        Keys.onWeights()),
                MinMaxNormProvider::create);
    }

    private static MinMaxNorm create(SpecArguments a) {
        double min = a.number("min");
        double max = a.number("max");
        if (min > max) {
            throw new SpecException("regularizer '" + NAME + "': min=" + min + " is larger than max=" + max
                    + "; allowed: 0 <= min <= max");
        }
        return new MinMaxNorm(min, max, a.number("rate"), Axis.parse(a.text("axis")), a.selector("on"), a.toSpec().toString());
    }
}
