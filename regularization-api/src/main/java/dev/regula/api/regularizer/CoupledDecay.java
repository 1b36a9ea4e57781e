package dev.regula.api.regularizer;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;

/**
 * A {@link Stage#GRADIENT} regularizer whose whole action is g ← g + c_t·θ: the gradient of an L2
 * penalty c_t/2·‖θ‖², "coupled" weight decay. Declaring it lets the pipeline fold the term into
 * the optimizer's own pass over the parameter ({@link dev.regula.api.optim.Optimizer#stepWithDecay})
 * when nothing else has to see the gradient between the GRADIENT stage and the update. The result
 * is the same as running {@link #apply} and then the optimizer; {@link #apply} must keep doing
 * exactly that on its own, for the runs where nothing is folded.
 */
public interface CoupledDecay extends ParameterRegularizer {
    /**
     * @param p a selected parameter
     * @param ctx the step
     * @return c_t, the coefficient {@link #apply} would add θ with at this step (0: nothing)
     */
    float decayCoefficient(Parameter p, StepContext ctx);

    /** @return {@link Stage#GRADIENT}, the only stage a coupled decay can run at */
    @Override
    default Stage stage() {
        return Stage.GRADIENT;
    }
}
