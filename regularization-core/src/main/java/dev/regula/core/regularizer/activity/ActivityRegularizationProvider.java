package dev.regula.core.regularizer.activity;

import dev.regula.api.spec.SpecKey;
import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;
import dev.regula.core.regularizer.support.Keys;
import dev.regula.core.regularizer.support.LayerGlob;

/**
 * Publishes {@code activity(l1=0, l2=0, after=hidden)}: Keras' {@code ActivityRegularization},
 * R(a) = (l1·Σ|a| + l2·Σa²)/batch on the outputs of the layers it follows (see
 * {@link ActivityRegularization} for the factor convention). {@code l1} and {@code l2} are numbers
 * or schedules in [0, +inf).
 */
public final class ActivityRegularizationProvider extends BaseRegularizerProvider {
    static final String NAME = "activity";

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public ActivityRegularizationProvider() {
        super("activity regularization (Keras ActivityRegularization): (l1*sum|a| + l2*sum a^2)/batch on layer outputs, "
                        + "no 1/2 on l2 (forward, training only)",
                SpecSchema.of("regularizer", NAME,
                        Keys.strength("l1", "0", "L1 factor on the activations, Keras convention"),
                        Keys.strength("l2", "0", "L2 factor on the activations, Keras convention (l2*sum a^2, no 1/2)"),
                        SpecKey.text("after", LayerGlob.HIDDEN,
                                "where to insert: 'hidden' = after each hidden activation, or a glob on layer names (a*|b)")),
                ActivityRegularization::new);
    }
}
