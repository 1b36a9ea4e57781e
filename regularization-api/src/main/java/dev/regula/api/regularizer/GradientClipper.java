package dev.regula.api.regularizer;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import java.util.List;

/**
 * Rescales or clips the gradients of all trainable parameters together, after the GRADIENT stage
 * and before the optimizer update ({@link Stage#CLIP}).
 */
public non-sealed interface GradientClipper extends Regularizer {
    /**
     * @param parameters every trainable parameter of the model
     * @param ctx the step
     * @return the global gradient norm seen before clipping (for metrics)
     */
    double clip(List<Parameter> parameters, StepContext ctx);
}
