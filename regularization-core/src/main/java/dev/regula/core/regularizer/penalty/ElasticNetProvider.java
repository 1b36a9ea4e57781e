package dev.regula.core.regularizer.penalty;

import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;
import dev.regula.core.regularizer.support.Keys;

/**
 * Publishes {@code elastic-net(l1, l2, on=weights)}: the penalty l1·‖θ‖₁ + l2/2·‖θ‖², at the
 * GRADIENT stage. Both strengths are numbers or schedules in [0, +inf); a (λ, α) mix is written
 * {@code l1=λα, l2=λ(1−α)}.
 */
public final class ElasticNetProvider extends BaseRegularizerProvider {
    static final String NAME = "elastic-net";

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public ElasticNetProvider() {
        super("Elastic net l1*||w||_1 + l2/2*||w||^2 (GRADIENT stage); for a (lambda, alpha) mix use l1=lambda*alpha, l2=lambda*(1-alpha)",
                SpecSchema.of("regularizer", NAME,
                        Keys.strength("l1", null, "strength of the L1 part l1*||w||_1"),
                        Keys.strength("l2", null, "strength of the L2 part l2/2*||w||^2"),
                        Keys.onWeights()),
                a -> new ElasticNet(NAME, a.schedule("l1"), a.schedule("l2"), 0.5, a.selector("on"), a.toSpec().toString()));
    }
}
