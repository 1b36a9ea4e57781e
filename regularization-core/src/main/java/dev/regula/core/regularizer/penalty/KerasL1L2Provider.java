package dev.regula.core.regularizer.penalty;

import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;
import dev.regula.core.regularizer.support.Keys;

/**
 * Publishes {@code keras-l1-l2(l1=0.01, l2=0.01, on=weights)}: Keras' {@code l1_l2} penalty
 * l1·Σ|w| + l2·Σw² (no 1/2), at the GRADIENT stage; defaults are Keras' {@code l1_l2} defaults.
 * See {@link KerasL1L2} for the factors relative to {@code l2} and {@code elastic-net}.
 */
public final class KerasL1L2Provider extends BaseRegularizerProvider {
    static final String NAME = "keras-l1-l2";

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public KerasL1L2Provider() {
        super("Keras l1_l2: l1*sum|w| + l2*sum(w^2), no 1/2 (GRADIENT stage); equals elastic-net(l1, l2=2*l2)",
                SpecSchema.of("regularizer", NAME,
                        Keys.strength("l1", "0.01", "factor of sum|w| (Keras l1)"),
                        Keys.strength("l2", "0.01", "factor of sum(w^2) (Keras l2; Regula's l2 lambda is twice this)"),
                        Keys.onWeights()),
                a -> new ElasticNet(NAME, a.schedule("l1"), a.schedule("l2"), 1.0, a.selector("on"), a.toSpec().toString()));
    }
}
