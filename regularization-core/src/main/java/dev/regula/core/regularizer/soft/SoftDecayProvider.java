package dev.regula.core.regularizer.soft;

import dev.regula.api.spec.SpecKey;
import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;

/** Publishes {@code soft-decay}, see {@link SoftDecay}. */
public final class SoftDecayProvider extends BaseRegularizerProvider {
    /** Creates the provider (for ServiceLoader). */
    public SoftDecayProvider() {
        super("decoupled decay that anneals with the learning-rate schedule: θ ← θ − λ·(η_t/η_0)·θ",
                SpecSchema.of("regularizer", "soft-decay",
                        SpecKey.schedule("lambda", null, 0, 1, "fraction of θ removed per step at the reference learning rate"),
                        SoftKeys.nonNegative("lr0", "0", "reference learning rate η_0; 0 = the first positive rate seen"),
                        SpecKey.selector("weights")),
                SoftDecay::create);
    }
}
