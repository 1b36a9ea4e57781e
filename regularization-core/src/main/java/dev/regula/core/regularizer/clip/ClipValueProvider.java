package dev.regula.core.regularizer.clip;

import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;
import dev.regula.core.regularizer.support.Keys;

/**
 * Publishes {@code clip-value(max)}: clamps every gradient entry to [−max, max] (CLIP stage).
 * See {@link ClipValue}.
 */
public final class ClipValueProvider extends BaseRegularizerProvider {
    static final String NAME = "clip-value";

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public ClipValueProvider() {
        super("Gradient value clipping: clamp every gradient entry to [-max, max] (CLIP stage)",
                SpecSchema.of("regularizer", NAME,
                        Keys.positive("max", null, "largest absolute value of a gradient entry")),
                a -> new ClipValue(a.number("max"), a.toSpec().toString()));
    }
}
