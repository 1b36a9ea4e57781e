package dev.regula.core.regularizer.constraint;

import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;
import dev.regula.core.regularizer.support.Keys;

/**
 * Publishes {@code non-negative(on=weights)}: clamps every selected value at 0 from below
 * (CONSTRAINT stage). See {@link NonNegative}.
 */
public final class NonNegativeProvider extends BaseRegularizerProvider {
    static final String NAME = "non-negative";

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public NonNegativeProvider() {
        super("Non-negative: clamp values at 0 from below (CONSTRAINT stage)",
                SpecSchema.of("regularizer", NAME, Keys.onWeights()),
                a -> new NonNegative(a.selector("on"), a.toSpec().toString()));
    }
}
