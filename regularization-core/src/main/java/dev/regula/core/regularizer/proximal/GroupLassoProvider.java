package dev.regula.core.regularizer.proximal;

import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;
import dev.regula.core.regularizer.support.Axis;
import dev.regula.core.regularizer.support.Keys;

/**
 * Publishes {@code group-lasso(lambda, groups=rows, on=weights)}: block soft-thresholding of each
 * row (or column) of the weight flattened to {@code [dim0, rest]} after the update (PROXIMAL
 * stage), pruning whole units; reports λ·Σ √|g|·‖w_g‖. See {@link GroupLasso}.
 */
public final class GroupLassoProvider extends BaseRegularizerProvider {
    static final String NAME = "group-lasso";

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public GroupLassoProvider() {
        super("Group lasso lambda*sum sqrt(|g|)*||w_g|| by block soft-thresholding of rows (units) or columns: exact zero groups (PROXIMAL stage)",
                SpecSchema.of("regularizer", NAME,
                        Keys.strength("lambda", null, "strength; a group shrinks by lr*lambda*sqrt(|g|) in norm"),
                        Keys.axis("groups", "rows: one group per output unit (dim 0); columns: one per input"),
                        Keys.onWeights()),
                a -> new GroupLasso(a.schedule("lambda"), Axis.parse(a.text("groups")), a.selector("on"),
                        a.toSpec().toString()));
    }
}
