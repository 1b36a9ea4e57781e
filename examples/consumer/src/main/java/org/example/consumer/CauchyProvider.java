package org.example.consumer;

import dev.regula.api.regularizer.AbstractRegularizerProvider;
import dev.regula.api.spec.SpecKey;
import dev.regula.api.spec.SpecSchema;

/**
 * Publishes {@code cauchy(lambda=1e-3, c=0.5, on=weights)}, the penalty of {@link CauchyPenalty}.
 * Found by {@link java.util.ServiceLoader}: declared with {@code provides} in module-info (module
 * path) and in {@code META-INF/services} (class path). {@link AbstractRegularizerProvider} checks
 * the name, validates the spec (unknown keys, out-of-range values) and calls the factory.
 */
public final class CauchyProvider extends AbstractRegularizerProvider {
    /** The name used in specs. */
    public static final String NAME = "cauchy";

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public CauchyProvider() {
        super("Cauchy penalty λ·Σ c²/2·log(1 + (θ/c)²): L2-like below c, shrinks large weights only logarithmically (consumer plugin)",
                SpecSchema.of("regularizer", NAME,
                        SpecKey.schedule("lambda", "1e-3", 0, Double.POSITIVE_INFINITY, "strength λ, a number or a schedule"),
                        SpecKey.number("c", "0.5", 0, false, Double.POSITIVE_INFINITY, false,
                                "scale c: weights well below c are penalised like L2, weights far above it only logarithmically"),
                        SpecKey.selector("weights")),
                CauchyPenalty::new);
    }
}
