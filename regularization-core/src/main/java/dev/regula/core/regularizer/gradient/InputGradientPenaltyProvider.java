package dev.regula.core.regularizer.gradient;

import dev.regula.api.spec.SpecKey;
import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;
import dev.regula.core.regularizer.support.Keys;

/** Publishes {@code input-gradient(lambda=0.01, step=0.01)}, see {@link InputGradientPenalty}. */
public final class InputGradientPenaltyProvider extends BaseRegularizerProvider {
    static final String NAME = "input-gradient";

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public InputGradientPenaltyProvider() {
        super("input-gradient penalty lambda/2*mean ||d loss/d x||^2 (double backpropagation, Drucker & LeCun 1992); "
                        + "one extra forward/backward per step, training only",
                SpecSchema.of("regularizer", NAME,
                        Keys.strength("lambda", "0.01", "strength lambda of lambda/2*mean_i ||grad_x loss_i||^2"),
                        SpecKey.number("step", "0.01", 0, false, 10, true,
                                "finite-difference step along the input gradient, in input units")),
                InputGradientPenalty::new);
    }
}
