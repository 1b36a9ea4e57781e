package dev.regula.core.regularizer.penalty;

import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;
import dev.regula.core.regularizer.support.Keys;

/**
 * Publishes {@code l2(lambda, on=weights)}: the penalty λ/2·‖θ‖² with gradient λ·θ, at the
 * GRADIENT stage (coupled L2; see {@code weight-decay} for the decoupled form).
 * {@code lambda} is a number or schedule in [0, +inf).
 */
public final class L2Provider extends BaseRegularizerProvider {
    static final String NAME = "l2";

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public L2Provider() {
        super("L2 penalty lambda/2*||w||^2, gradient lambda*w (GRADIENT stage, coupled; see weight-decay)",
                SpecSchema.of("regularizer", NAME,
                        Keys.strength("lambda", null, "strength of the penalty lambda/2*||w||^2"),
                        Keys.onWeights()),
                a -> new L2(a.schedule("lambda"), a.selector("on"), a.toSpec().toString()));
    }
}
