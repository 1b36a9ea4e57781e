package dev.regula.api.regularizer;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterSelector;

/**
 * A regularizer acting on each selected parameter at one {@link Stage} of the pipeline.
 *
 * <p>Contract by stage, for {@link #apply(Parameter, StepContext)}:
 * <ul>
 *   <li>{@link Stage#GRADIENT}: add ∂R/∂θ to {@code p.grad()}, where R is {@link #penalty};</li>
 *   <li>{@link Stage#DECOUPLED}, {@link Stage#PROXIMAL}, {@link Stage#CONSTRAINT}: change
 *       {@code p.value()} in place. A CONSTRAINT must be a projection: applying it twice gives the
 *       same result as once.</li>
 * </ul>
 * Coefficients are read from schedules at {@code ctx.step()} and {@code ctx.epoch()}.
 */
public non-sealed interface ParameterRegularizer extends Regularizer {
    /** @return the pipeline stage at which {@link #apply} runs */
    Stage stage();

    /** @return which parameters this regularizer acts on */
    ParameterSelector selector();

    /**
     * The penalty R(θ) this regularizer adds to the objective, reported separately from the data
     * loss. Stages without an objective term (decoupled decay, projections) return 0.
     *
     * @param p a selected parameter
     * @param ctx the step
     * @return R(θ), ≥ 0 for every built-in penalty except {@code soft-weight-sharing}, whose
     *     penalty is a negative log-density (−λ·log Σₖ πₖ·N(θ | μₖ, σₖ²)) and is negative where
     *     the mixture density exceeds 1
     */
    default double penalty(Parameter p, StepContext ctx) {
        return 0;
    }

    /**
     * Performs this regularizer's action on one parameter (see the class contract).
     *
     * @param p a selected parameter
     * @param ctx the step
     */
    void apply(Parameter p, StepContext ctx);
}
