package dev.regula.core.regularizer.noise;

import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;

/** Publishes {@code alpha-dropout}, see {@link AlphaDropout}. */
public final class AlphaDropoutProvider extends BaseRegularizerProvider {
    /** Creates the provider (for ServiceLoader). */
    public AlphaDropoutProvider() {
        super("dropout for SELU networks that keeps mean 0 and variance 1 (Klambauer et al.)",
                SpecSchema.of("regularizer", "alpha-dropout",
                        NoiseKeys.dropProbability("0.1"), NoiseKeys.after()),
                AlphaDropout::new);
    }
}
