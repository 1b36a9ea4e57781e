package dev.regula.core.regularizer.decay;

import dev.regula.api.schedule.Schedule;
import dev.regula.api.spec.SpecArguments;
import dev.regula.api.spec.SpecException;
import dev.regula.api.spec.SpecKey;
import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;
import dev.regula.core.regularizer.support.Keys;

/**
 * Publishes {@code weight-decay(lambda, lr_coupled=true, on=weights)}: decoupled decay
 * θ ← θ − η_t·λ_t·θ (AdamW) or, with {@code lr_coupled=false}, θ ← θ − λ_t·θ, at the DECOUPLED
 * stage. {@code lambda} is a number or schedule in [0, +inf), and in [0, 1] when
 * {@code lr_coupled=false}. Its penalty is 0 (not part of the objective). See {@link WeightDecay}.
 */
public final class WeightDecayProvider extends BaseRegularizerProvider {
    static final String NAME = "weight-decay";

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public WeightDecayProvider() {
        super("Decoupled weight decay w <- w - lr*u - lr*lambda*w_prev from the pre-update weights (AdamW; DECOUPLED stage, not in the loss)",
                SpecSchema.of("regularizer", NAME,
                        Keys.strength("lambda", null, "decay rate; the step shrinks w by lr*lambda (or lambda if lr_coupled=false)"),
                        SpecKey.bool("lr_coupled", true, "multiply the decay by the learning rate of the step (AdamW)"),
                        Keys.onWeights()),
                WeightDecayProvider::create);
    }

    private static WeightDecay create(SpecArguments a) {
        Schedule lambda = a.schedule("lambda");
        boolean coupled = a.bool("lr_coupled");
        if (!coupled) {
            for (double x : lambda.extremes()) {
                if (x > 1) {
                    throw new SpecException("regularizer '" + NAME + "': lambda=" + lambda.text()
                            + " is out of range with lr_coupled=false; allowed: [0, 1] (w <- (1 - lambda)*w)");
                }
            }
        }
        return new WeightDecay(lambda, coupled, a.selector("on"), a.toSpec().toString());
    }
}
