package org.example.regula.plugin;

import dev.regula.api.param.ParameterSelector;
import dev.regula.api.regularizer.Regularizer;
import dev.regula.api.regularizer.RegularizerProvider;
import dev.regula.api.schedule.Schedule;
import dev.regula.api.spec.Spec;
import dev.regula.api.spec.SpecArguments;
import dev.regula.api.spec.SpecException;
import dev.regula.api.spec.SpecKey;
import dev.regula.api.spec.SpecSchema;

/**
 * Publishes {@code smooth-l1(lambda=1e-4, delta=0.01, on=weights)}, the smooth L1 (Huber)
 * penalty of {@link SmoothL1Penalty}.
 *
 * <p>This is how a third party writes a provider without Regula's core: a public class with a
 * public no-argument constructor, stateless, whose {@link #create(Spec)} validates the spec
 * against its {@link SpecSchema} (which reports unknown keys and out-of-range values with the
 * allowed ranges) and returns a new regularizer each time.
 */
public final class SmoothL1Provider implements RegularizerProvider {
    /** The name users type in specs. */
    public static final String NAME = "smooth-l1";

    private static final SpecSchema SCHEMA = SpecSchema.of("regularizer", NAME,
            SpecKey.schedule("lambda", "1e-4", 0, Double.POSITIVE_INFINITY,
                    "strength λ of the penalty λ·Σ s_δ(θ), a number or a schedule"),
            SpecKey.number("delta", "0.01", 0, false, Double.POSITIVE_INFINITY, false,
                    "half-width δ of the quadratic zone; below δ the penalty is θ²/(2δ), above it |θ|−δ/2"),
            SpecKey.selector("weights"));

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public SmoothL1Provider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "smooth L1 (Huber) penalty λ·Σ s_δ(θ): quadratic θ²/(2δ) near zero, |θ|−δ/2 beyond δ (plugin)";
    }

    @Override
    public SpecSchema schema() {
        return SCHEMA;
    }

    /**
     * @param spec a spec named {@value #NAME}
     * @return a new {@link SmoothL1Penalty}
     * @throws SpecException for another name, unknown keys or out-of-range values
     */
    @Override
    public Regularizer create(Spec spec) {
        if (!NAME.equals(spec.name())) {
            throw new SpecException("provider '" + NAME + "' cannot create '" + spec.name() + "'");
        }
        SpecArguments args = SCHEMA.bind(spec);
        Schedule lambda = args.schedule("lambda");
        double delta = args.number("delta");
        ParameterSelector on = args.selector("on");
        return new SmoothL1Penalty(lambda, delta, on);
    }
}
