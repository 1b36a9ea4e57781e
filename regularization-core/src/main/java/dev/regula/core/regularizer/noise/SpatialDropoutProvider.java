package dev.regula.core.regularizer.noise;

import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;

/** Publishes {@code spatial-dropout}, see {@link SpatialDropout}. */
public final class SpatialDropoutProvider extends BaseRegularizerProvider {
    /** Creates the provider (for ServiceLoader). */
    public SpatialDropoutProvider() {
        super("drops whole channels of [batch, channels, ...] activations",
                SpecSchema.of("regularizer", "spatial-dropout",
                        NoiseKeys.dropProbability("0.5"), NoiseKeys.after()),
                SpatialDropout::new);
    }
}
