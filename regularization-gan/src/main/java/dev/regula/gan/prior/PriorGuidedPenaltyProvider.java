package dev.regula.gan.prior;

import dev.regula.api.spec.SpecKey;
import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;
import dev.regula.gan.features.FaceFeatures;

/**
 * Publishes {@code prior-guided(lambda=1.0, size=32)}, the {@link PriorGuidedPenalty}
 * λ·mean‖φ(G(z, c)) − c‖². {@code lambda} is a number or schedule in [0, +inf); {@code size} is the
 * side of the generated images, 16 to 256. An output regularizer for the GAN trainer
 * ({@code regula gan}); the classifier trainer of core rejects it.
 */
public final class PriorGuidedPenaltyProvider extends BaseRegularizerProvider {
    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public PriorGuidedPenaltyProvider() {
        super("prior-guided output penalty lambda*mean||phi(G(z,c)) - c||^2 on generated faces (GAN trainer only)",
                SpecSchema.of("regularizer", PriorGuidedPenalty.NAME,
                        SpecKey.schedule("lambda", "1.0", 0, Double.POSITIVE_INFINITY,
                                "strength of the penalty lambda*mean||phi(G) - c||^2"),
                        SpecKey.integer("size", "32", 16, 256, "side of the generated square images, in pixels")),
                a -> new PriorGuidedPenalty(a.schedule("lambda"), new FaceFeatures((int) a.integer("size"))));
    }
}
