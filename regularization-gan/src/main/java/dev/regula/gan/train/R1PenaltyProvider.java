package dev.regula.gan.train;

import dev.regula.api.regularizer.ScoreGradientRegularizer.Samples;

/** Publishes {@code r1(gamma=10, every=16)}: the critic gradient penalty at the real samples of each step. */
public final class R1PenaltyProvider extends CriticGradientPenaltyProvider {
    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public R1PenaltyProvider() {
        super("r1", Samples.REAL, "real");
    }
}
