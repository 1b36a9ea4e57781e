package dev.regula.core.regularizer.soft;

import dev.regula.api.spec.SpecKey;
import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;

/** Publishes {@code soft-output-bounds}, see {@link SoftOutputBounds}. */
public final class SoftOutputBoundsProvider extends BaseRegularizerProvider {
    /** Creates the provider (for ServiceLoader). */
    public SoftOutputBoundsProvider() {
        super("prior on the range of the model's outputs: zero for min <= y <= max, quadratic outside (an output regularizer)",
                SpecSchema.of("regularizer", SoftOutputBounds.NAME,
                        SoftKeys.strength("lambda", null, "strength λ of λ/2·mean Σ (distance outside the band)²"),
                        SpecKey.number("min", "0", -Double.MAX_VALUE, Double.MAX_VALUE, "lower end of the output band (<= max)"),
                        SpecKey.number("max", "1", -Double.MAX_VALUE, Double.MAX_VALUE, "upper end of the output band")),
                SoftOutputBounds::create);
    }
}
