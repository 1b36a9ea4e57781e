package dev.regula.core.regularizer.penalty;

import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;
import dev.regula.core.regularizer.support.Keys;

/**
 * Publishes {@code l1(lambda, on=weights)}: the penalty λ·‖θ‖₁ with gradient λ·sign(θ), at the
 * GRADIENT stage. {@code lambda} is a number or schedule in [0, +inf).
 */
public final class L1Provider extends BaseRegularizerProvider {
    static final String NAME = "l1";

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public L1Provider() {
        super("L1 penalty lambda*sum|w|, gradient lambda*sign(w) (GRADIENT stage; see l1-proximal for exact zeros)",
                SpecSchema.of("regularizer", NAME,
                        Keys.strength("lambda", null, "strength of the penalty lambda*||w||_1"),
                        Keys.onWeights()),
                a -> new L1(a.schedule("lambda"), a.selector("on"), a.toSpec().toString()));
    }
}
