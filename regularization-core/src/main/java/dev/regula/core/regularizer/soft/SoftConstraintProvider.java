package dev.regula.core.regularizer.soft;

import dev.regula.api.spec.SpecKey;
import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;
import java.util.List;

/** Publishes {@code soft-constraint}, see {@link SoftConstraint}. */
public final class SoftConstraintProvider extends BaseRegularizerProvider {
    /** Creates the provider (for ServiceLoader). */
    public SoftConstraintProvider() {
        super("norm band as a penalty: zero for min ≤ ‖w_r‖ ≤ max, quadratic outside, optionally annealed into the projection",
                SpecSchema.of("regularizer", "soft-constraint",
                        SoftKeys.strength("lambda", null, "strength λ of the quadratic penalty outside the band"),
                        SoftKeys.nonNegative("max", "3", "upper end of the norm band"),
                        SoftKeys.nonNegative("min", "0", "lower end of the norm band (<= max)"),
                        SpecKey.integer("anneal_steps", "0", 0, Long.MAX_VALUE, "from this step on also project onto the band (hard); 0 = never"),
                        SpecKey.choice("axis", "rows", List.of("rows", "columns", "all"), "slices whose norms are constrained, viewing θ as [d0, rest]"),
                        SpecKey.selector("weights")),
                SoftConstraint::create);
    }
}
