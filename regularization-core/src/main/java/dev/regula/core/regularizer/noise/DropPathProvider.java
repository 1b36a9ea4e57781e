package dev.regula.core.regularizer.noise;

import dev.regula.api.spec.SpecKey;
import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;
import dev.regula.core.regularizer.support.LayerGlob;

/** Publishes {@code drop-path(p=0.1, after=none)}, see {@link DropPath}. */
public final class DropPathProvider extends BaseRegularizerProvider {
    /** Creates the provider (for ServiceLoader). */
    public DropPathProvider() {
        super("drop path / stochastic depth: drops a residual branch per example with probability p, scales kept ones "
                        + "by 1/(1-p) (Huang et al. 2016; needs residual blocks, e.g. mlp(residual=true))",
                SpecSchema.of("regularizer", "drop-path",
                        NoiseKeys.dropProbability("0.1"),
                        SpecKey.text("after", LayerGlob.NONE,
                                "besides residual branch ends: 'none', 'hidden' or a glob on layer names (a*|b)")),
                DropPath::new);
    }
}
