package dev.regula.core.regularizer.noise;

import dev.regula.api.spec.SpecKey;
import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;

/** Publishes {@code gaussian-noise}, see {@link GaussianNoise}. */
public final class GaussianNoiseProvider extends BaseRegularizerProvider {
    /** Creates the provider (for ServiceLoader). */
    public GaussianNoiseProvider() {
        super("additive N(0, stddev²) noise on activations",
                SpecSchema.of("regularizer", "gaussian-noise",
                        SpecKey.schedule("stddev", "0.1", 0, Double.POSITIVE_INFINITY, "standard deviation of the noise"), NoiseKeys.after()),
                GaussianNoise::new);
    }
}
