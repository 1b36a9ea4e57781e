package dev.regula.gan.train;

import dev.regula.api.regularizer.ScoreGradientRegularizer.Samples;
import dev.regula.api.spec.SpecKey;
import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;

/**
 * Publishes {@code r1(gamma=10, every=16)} and {@code r2(gamma=10, every=16)} (see
 * {@link CriticGradientPenalty}), the discriminator gradient penalties of Mescheder, Geiger &amp;
 * Nowozin 2018, for {@code regula gan --d-reg}.
 */
abstract sealed class CriticGradientPenaltyProvider extends BaseRegularizerProvider permits R1PenaltyProvider, R2PenaltyProvider {
    /** Largest lazy interval. */
    static final int MAX_EVERY = 1 << 16;

    CriticGradientPenaltyProvider(String name, Samples samples, String where) {
        super("GAN critic gradient penalty gamma/2*mean ||grad_x D(x)||^2 on " + where + " samples, every `every` steps with weight"
                        + " gamma*every (discriminator only: regula gan --d-reg)",
                SpecSchema.of("regularizer", name,
                        SpecKey.schedule("gamma", "10", 0, Double.POSITIVE_INFINITY, "strength gamma"),
                        SpecKey.integer("every", "16", 1, MAX_EVERY, "lazy interval k: runs at steps 0, k, 2k, ... with weight gamma*k")),
                a -> new CriticGradientPenalty(name, samples, a));
    }
}
