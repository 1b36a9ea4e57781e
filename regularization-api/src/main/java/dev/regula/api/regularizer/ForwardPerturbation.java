package dev.regula.api.regularizer;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterSelector;

/**
 * Perturbs selected parameters for one training forward/backward pass, then restores them:
 * drop-connect, weight noise. The trainer calls {@link #perturb} before the forward pass and
 * {@link #restore} right after backward, before any other stage, so that the optimizer and every
 * other regularizer see the unperturbed value with the gradient mapped back to it.
 */
public non-sealed interface ForwardPerturbation extends Regularizer {
    /** @return which parameters are perturbed */
    ParameterSelector selector();

    /**
     * Replaces {@code p.value()} by its perturbed version, remembering what is needed to restore it.
     *
     * @param p a selected parameter
     * @param ctx the step (TRAIN mode)
     */
    void perturb(Parameter p, StepContext ctx);

    /**
     * Restores the value saved by {@link #perturb} and maps the gradient (taken at the perturbed
     * value) back to the original parameter by the chain rule.
     *
     * @param p the same parameter
     * @param ctx the step
     */
    void restore(Parameter p, StepContext ctx);
}
