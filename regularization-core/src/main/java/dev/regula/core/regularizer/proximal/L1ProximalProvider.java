package dev.regula.core.regularizer.proximal;

import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;
import dev.regula.core.regularizer.support.Keys;

/**
 * Publishes {@code l1-proximal(lambda, on=weights)}: soft-thresholding θ ← S(θ, η·λ) after the
 * update (PROXIMAL stage), giving exact zeros; reports λ·‖θ‖₁. {@code lambda} is a number or
 * schedule in [0, +inf). See {@link L1Proximal}.
 */
public final class L1ProximalProvider extends BaseRegularizerProvider {
    static final String NAME = "l1-proximal";

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public L1ProximalProvider() {
        super("L1 by soft-thresholding w <- sign(w)*max(|w| - lr*lambda, 0) after the update: exact zeros (PROXIMAL stage)",
                SpecSchema.of("regularizer", NAME,
                        Keys.strength("lambda", null, "strength of lambda*||w||_1; the threshold is lr*lambda"),
                        Keys.onWeights()),
                a -> new L1Proximal(a.schedule("lambda"), a.selector("on"), a.toSpec().toString()));
    }
}
