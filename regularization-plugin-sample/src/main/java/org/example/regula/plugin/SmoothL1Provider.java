package org.example.regula.plugin;

import dev.regula.api.regularizer.AbstractRegularizerProvider;
import dev.regula.api.spec.SpecKey;
import dev.regula.api.spec.SpecSchema;

/**
 * Publishes {@code smooth-l1(lambda=1e-4, delta=0.01, on=weights)}, the smooth L1 (Huber)
 * penalty of {@link SmoothL1Penalty}.
 *
 * <p>This is how a third party writes a provider without Regula's core: a public class with a
 * public no-argument constructor that passes a description, a {@link SpecSchema} (which reports
 * unknown keys and out-of-range values with the allowed ranges) and a factory to
 * {@link AbstractRegularizerProvider}, which checks the name, validates the spec and calls the
 * factory for a new regularizer each time.
 */
public final class SmoothL1Provider extends AbstractRegularizerProvider {
    /** The name users type in specs. */
    public static final String NAME = "smooth-l1";

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public SmoothL1Provider() {
        super("smooth L1 (Huber) penalty λ·Σ s_δ(θ): quadratic θ²/(2δ) near zero, |θ|−δ/2 beyond δ (plugin)",
                SpecSchema.of("regularizer", NAME,
                        SpecKey.schedule("lambda", "1e-4", 0, Double.POSITIVE_INFINITY,
                                "strength λ of the penalty λ·Σ s_δ(θ), a number or a schedule"),
                        SpecKey.number("delta", "0.01", 0, false, Double.POSITIVE_INFINITY, false,
                                "half-width δ of the quadratic zone; below δ the penalty is θ²/(2δ), above it |θ|−δ/2"),
                        SpecKey.selector("weights")),
                SmoothL1Penalty::new);
    }
}
