package dev.regula.core.regularizer.batch;

import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;

/** Publishes {@code mixup(alpha=0.2)}, see {@link Mixup}. */
public final class MixupProvider extends BaseRegularizerProvider {
    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public MixupProvider() {
        super("mixup (Zhang et al. 2018): x <- lam*x_i + (1-lam)*x_perm(i), loss mixed alike, lam ~ Beta(alpha, alpha) "
                        + "per batch (batch assembly, training only)",
                SpecSchema.of("regularizer", Mixup.NAME, BatchProviders.alpha("0.2")), Mixup::new);
    }
}
