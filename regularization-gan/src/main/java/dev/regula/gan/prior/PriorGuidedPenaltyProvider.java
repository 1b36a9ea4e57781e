package dev.regula.gan.prior;

import dev.regula.api.spec.SpecKey;
import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;
import java.util.List;

/**
 * Publishes {@code prior-guided(lambda=1.0, learnable=false, prior_lr=0.01,
 * attributes=smiling+glasses+dark_hair+pale_skin, size=32)}, the {@link PriorGuidedPenalty}: an
 * output regularizer for image generators conditioned on a few face attributes. Created from a spec
 * alone, its probe φ is fitted on {@value FacePrior#PROBE_FACES} rendered faces
 * ({@link FacePrior#probeOnRenderedFaces}); the face case study fits it on its own training faces.
 */
public final class PriorGuidedPenaltyProvider extends BaseRegularizerProvider {
    /** The attributes of the default prior: all four binary face attributes. */
    public static final String DEFAULT_ATTRIBUTES = "smiling+glasses+dark_hair+pale_skin";

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public PriorGuidedPenaltyProvider() {
        super("prior-guided output penalty: a generator conditioned on a few face attributes c pays "
                        + "lambda*sum_k w_k*mean(band(phi_k(G(z,c)) - c_k))^2, w learnable (output regularizer, image generators)",
                SpecSchema.of("regularizer", PriorGuidedPenalty.NAME,
                        SpecKey.schedule("lambda", "1.0", 0, Double.POSITIVE_INFINITY,
                                "strength of the penalty"),
                        SpecKey.bool("learnable", false, "learn one log-precision per attribute (uncertainty weighting)"),
                        SpecKey.number("prior_lr", "0.01", 1e-6, 1, "Adam rate of the learned log-precisions"),
                        SpecKey.text("attributes", DEFAULT_ATTRIBUTES,
                                "the attributes c carries, joined by '+': smiling, glasses, dark_hair, pale_skin"),
                        SpecKey.text("tolerance", "real", "zero-penalty band around c: 'real' (the probe's RMS residual on real"
                                + " faces, per attribute), a number >= 0 (0 = plain squared error) or one number per attribute joined by '+'"),
                        SpecKey.choice("size", "32", List.of("16", "32", "64"), "side of the generated square images, in pixels")),
                a -> {
                    var probe = FacePrior.probeOnRenderedFaces(Integer.parseInt(a.text("size")), FacePrior.parseAttributes(a.text("attributes")));
                    return new PriorGuidedPenalty(a.schedule("lambda"), probe, a.bool("learnable"), a.number("prior_lr"),
                            FacePrior.tolerance(a.text("tolerance"), probe));
                });
    }
}
