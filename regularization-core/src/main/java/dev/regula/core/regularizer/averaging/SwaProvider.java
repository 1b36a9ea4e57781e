package dev.regula.core.regularizer.averaging;

import dev.regula.api.spec.SpecKey;
import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;

/**
 * Publishes {@code swa(start_epoch=1, every=1)}: stochastic weight averaging, the equal-weight mean
 * of the weights from epoch {@code start_epoch} (from 0) on, every {@code every} steps (see
 * {@link Swa}); evaluate with it through {@code --eval-weights swa}.
 */
public final class SwaProvider extends BaseRegularizerProvider {
    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public SwaProvider() {
        super("stochastic weight averaging: equal mean of the weights from start_epoch on (Izmailov et al. 2018); "
                        + "evaluate with --eval-weights swa",
                SpecSchema.of("regularizer", Swa.KIND,
                        SpecKey.integer("start_epoch", "1", 0, Integer.MAX_VALUE, "first epoch (from 0) whose weights are averaged"),
                        SpecKey.integer("every", "1", 1, Integer.MAX_VALUE, "average after every n-th optimizer step")),
                Swa::new);
    }
}
