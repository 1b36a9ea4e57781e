package dev.regula.gan.train;

import dev.regula.api.regularizer.ScoreGradientRegularizer.Samples;

/** Publishes {@code r2(gamma=10, every=16)}: the critic gradient penalty at the generated samples of each step. */
public final class R2PenaltyProvider extends CriticGradientPenaltyProvider {
    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public R2PenaltyProvider() {
        super("r2", Samples.GENERATED, "generated");
    }
}
