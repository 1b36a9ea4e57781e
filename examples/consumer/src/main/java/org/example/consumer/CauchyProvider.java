package org.example.consumer;

import dev.regula.api.regularizer.Regularizer;
import dev.regula.api.regularizer.RegularizerProvider;
import dev.regula.api.spec.Spec;
import dev.regula.api.spec.SpecArguments;
import dev.regula.api.spec.SpecException;
import dev.regula.api.spec.SpecKey;
import dev.regula.api.spec.SpecSchema;

/**
 * Publishes {@code cauchy(lambda=1e-3, c=0.5, on=weights)}, the penalty of {@link CauchyPenalty}.
 * Found by {@link java.util.ServiceLoader}: declared with {@code provides} in module-info (module
 * path) and in {@code META-INF/services} (class path).
 */
public final class CauchyProvider implements RegularizerProvider {
    /** The name used in specs. */
    public static final String NAME = "cauchy";

    private static final SpecSchema SCHEMA = SpecSchema.of("regularizer", NAME,
            SpecKey.schedule("lambda", "1e-3", 0, Double.POSITIVE_INFINITY, "strength λ, a number or a schedule"),
            SpecKey.number("c", "0.5", 0, false, Double.POSITIVE_INFINITY, false,
                    "scale c: weights well below c are penalised like L2, weights far above it only logarithmically"),
            SpecKey.selector("weights"));

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public CauchyProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Cauchy penalty λ·Σ c²/2·log(1 + (θ/c)²): L2-like below c, shrinks large weights only logarithmically (consumer plugin)";
    }

    @Override
    public SpecSchema schema() {
        return SCHEMA;
    }

    /**
     * @param spec a spec named {@value #NAME}
     * @return a new {@link CauchyPenalty}
     * @throws SpecException for another name, unknown keys or out-of-range values
     */
    @Override
    public Regularizer create(Spec spec) {
        if (!NAME.equals(spec.name())) {
            throw new SpecException("provider '" + NAME + "' cannot create '" + spec.name() + "'");
        }
        SpecArguments args = SCHEMA.bind(spec);
        return new CauchyPenalty(args.schedule("lambda"), args.number("c"), args.selector("on"));
    }
}
