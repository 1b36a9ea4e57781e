package dev.regula.api.regularizer;

/**
 * Where in the fixed training-step pipeline a parameter regularizer acts. The trainer runs, in
 * order: forward, loss + penalties, backward, {@link #GRADIENT}, {@link #CLIP}, {@link #DECOUPLED},
 * optimizer update, {@link #PROXIMAL}, {@link #CONSTRAINT}.
 */
public enum Stage {
    /** Adds ∂R/∂θ to the gradient (coupled penalties: L1, L2, elastic net, soft priors). */
    GRADIENT,
    /** Rescales or clips the gradients of all parameters together (global norm, value). */
    CLIP,
    /**
     * Shrinks θ decoupled from the gradient, from the pre-update weights θ_{t−1}: it runs just
     * before the optimizer update, whose direction u_t depends on the gradient and the optimizer's
     * state only, so the step is θ_t = θ_{t−1} − η_t·u_t − η_t·λ_t·θ_{t−1} (Loshchilov &amp; Hutter,
     * PyTorch {@code AdamW}).
     */
    DECOUPLED,
    /** Applies a proximal operator to the updated θ (soft-thresholding, group lasso). */
    PROXIMAL,
    /** Projects θ onto a constraint set (max-norm, unit-norm, non-negative). */
    CONSTRAINT
}
