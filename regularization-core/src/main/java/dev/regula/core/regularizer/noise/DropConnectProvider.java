package dev.regula.core.regularizer.noise;

import dev.regula.api.spec.SpecKey;
import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;

/** Publishes {@code drop-connect}, see {@link DropConnect}. */
public final class DropConnectProvider extends BaseRegularizerProvider {
    /** Creates the provider (for ServiceLoader). */
    public DropConnectProvider() {
        super("drops individual weights for each training step, scaling kept ones by 1/(1−p) (Wan et al.)",
                SpecSchema.of("regularizer", "drop-connect",
                        NoiseKeys.dropProbability("0.5"), SpecKey.selector("weights")),
                DropConnect::new);
    }
}
