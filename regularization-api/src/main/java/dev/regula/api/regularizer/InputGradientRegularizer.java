package dev.regula.api.regularizer;

import dev.regula.api.StepContext;

/**
 * A penalty on the gradient of the loss with respect to the model's input, "double
 * backpropagation" (Drucker &amp; LeCun 1992): R = λ/2 · (1/B)·Σᵢ‖∇_{xᵢ} ℓᵢ‖² over the B examples of
 * the batch. The trainer computes it with one more forward and backward pass per step: it takes
 * g = ∇ₓL from a full backward, and approximates ∇_θR = λ·B·(∂g/∂θ)ᵀg by the finite difference
 * λ·B·(∇_θL(x + h·g) − ∇_θL(x))/h with h = {@link #step()}/‖g‖ (Finlay &amp; Oberman 2019), since
 * Regula has no second-order differentiation. Training only.
 */
public non-sealed interface InputGradientRegularizer extends Regularizer {
    /**
     * @param ctx the step
     * @return λ at this step, ≥ 0 (0: the extra pass is skipped)
     */
    double strength(StepContext ctx);

    /** @return the length of the finite-difference step in input space, &gt; 0 */
    double step();
}
