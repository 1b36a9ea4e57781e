package dev.regula.core.regularizer.noise;

import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;

/** Publishes {@code gaussian-dropout}, see {@link GaussianDropout}. */
public final class GaussianDropoutProvider extends BaseRegularizerProvider {
    /** Creates the provider (for ServiceLoader). */
    public GaussianDropoutProvider() {
        super("multiplicative N(1, p/(1−p)) noise on activations (Keras GaussianDropout)",
                SpecSchema.of("regularizer", "gaussian-dropout",
                        NoiseKeys.dropProbability("0.5"), NoiseKeys.after()),
                GaussianDropout::new);
    }
}
