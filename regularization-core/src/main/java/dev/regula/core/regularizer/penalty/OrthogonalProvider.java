package dev.regula.core.regularizer.penalty;

import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;
import dev.regula.core.regularizer.support.Keys;

/**
 * Publishes {@code orthogonal(lambda, on=weights)}: soft orthogonality λ·‖G − I‖²_F with G the
 * smaller Gram matrix of the weight flattened to {@code [dim0, rest]} (W·Wᵀ when dim0 ≤ rest),
 * at the GRADIENT stage. See {@link Orthogonal}.
 */
public final class OrthogonalProvider extends BaseRegularizerProvider {
    static final String NAME = "orthogonal";

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public OrthogonalProvider() {
        super("Soft orthogonality lambda*||W W^T - I||_F^2 over rows of W as [dim0, rest] (W^T W if dim0 > rest; GRADIENT stage)",
                SpecSchema.of("regularizer", NAME,
                        Keys.strength("lambda", null, "strength of the penalty lambda*||Gram - I||_F^2"),
                        Keys.onWeights()),
                a -> new Orthogonal(a.schedule("lambda"), a.selector("on"), a.toSpec().toString()));
    }
}
