package dev.regula.core.regularizer.noise;

import dev.regula.api.spec.SpecKey;
import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;
import java.util.List;

/** Publishes {@code gaussian-noise}, see {@link GaussianNoise}. */
public final class GaussianNoiseProvider extends BaseRegularizerProvider {
    /** Creates the provider (for ServiceLoader). */
    public GaussianNoiseProvider() {
        super("additive N(0, stddev²) noise on activations",
                SpecSchema.of("regularizer", "gaussian-noise",
                        new SpecKey("stddev", SpecKey.Type.SCHEDULE, "0.1", 0, true, Double.POSITIVE_INFINITY, false, List.of(), "standard deviation of the noise"), NoiseKeys.after()),
                GaussianNoise::new);
    }
}
