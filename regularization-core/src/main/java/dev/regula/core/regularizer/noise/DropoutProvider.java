package dev.regula.core.regularizer.noise;

import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;

/** Publishes {@code dropout}, see {@link Dropout}. */
public final class DropoutProvider extends BaseRegularizerProvider {
    /** Creates the provider (for ServiceLoader). */
    public DropoutProvider() {
        super("inverted dropout: drops activations with probability p, scales kept ones by 1/(1−p)",
                SpecSchema.of("regularizer", "dropout",
                        NoiseKeys.dropProbability("0.5"), NoiseKeys.after()),
                Dropout::new);
    }
}
