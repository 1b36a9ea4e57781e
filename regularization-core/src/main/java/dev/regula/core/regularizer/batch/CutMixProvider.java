package dev.regula.core.regularizer.batch;

import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;

/** Publishes {@code cutmix(alpha=1)}, see {@link CutMix}. */
public final class CutMixProvider extends BaseRegularizerProvider {
    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public CutMixProvider() {
        super("CutMix (Yun et al. 2019): pastes a box of another example, loss mixed by the box's area share "
                        + "(batch assembly, training only, image inputs)",
                SpecSchema.of("regularizer", CutMix.NAME, BatchProviders.alpha("1"), Images.key()), CutMix::new);
    }
}
