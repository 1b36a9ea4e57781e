package dev.regula.core.regularizer.penalty;

import dev.regula.api.spec.SpecKey;
import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;
import dev.regula.core.regularizer.support.Keys;

/**
 * Publishes {@code norm-penalty(lambda, p=2, on=weights)}: λ·‖θ‖_p per selected parameter,
 * unsquared (p = 1 or 2), at the GRADIENT stage. Choose the layer with {@code on}, e.g.
 * {@code norm-penalty(lambda=1e-3, p=2, on=name:dense1.weight)}. See {@link NormPenalty}.
 */
public final class NormPenaltyProvider extends BaseRegularizerProvider {
    static final String NAME = "norm-penalty";

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public NormPenaltyProvider() {
        super("Unsquared norm lambda*||w||_p of each selected parameter, p = 1 or 2 (GRADIENT stage), as lam*torch.norm(w, p)",
                SpecSchema.of("regularizer", NAME,
                        Keys.strength("lambda", null, "strength of lambda*||w||_p"),
                        SpecKey.integer("p", "2", 1, 2, "the norm: 1 (sum of |w|) or 2 (Euclidean/Frobenius, not squared)"),
                        Keys.onWeights()),
                a -> new NormPenalty(a.schedule("lambda"), (int) a.integer("p"), a.selector("on"), a.toSpec().toString()));
    }
}
