package dev.regula.core.regularizer.output;

import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;
import dev.regula.core.regularizer.support.Keys;

/**
 * Publishes {@code confidence-penalty(beta=0.1, threshold=0)}: −β·H(softmax(z)) averaged over the
 * batch, or the hinge β·max(0, Γ − H) with {@code threshold} Γ &gt; 0 (Pereyra et al. 2017), added
 * to the loss in training. {@code beta} is a number or schedule in [0, +inf), {@code threshold} a
 * number in [0, +inf) (nats; log K is the largest entropy of K classes).
 */
public final class ConfidencePenaltyProvider extends BaseRegularizerProvider {
    static final String NAME = "confidence-penalty";

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public ConfidencePenaltyProvider() {
        super("confidence penalty -beta*H(softmax(z)) on the output, mean over the batch (Pereyra et al. 2017; "
                        + "after the loss, training only)",
                SpecSchema.of("regularizer", NAME,
                        Keys.strength("beta", "0.1", "strength beta of -beta*H(p)"),
                        Keys.nonNegative("threshold", "0",
                                "hinge: penalise only while H(p) < threshold (nats); 0 = always, the plain penalty")),
                ConfidencePenalty::new);
    }
}
