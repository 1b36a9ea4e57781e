package dev.regula.api.regularizer;

/**
 * Where in the fixed training-step pipeline a parameter regularizer acts. The trainer runs, in
 * order: forward, loss + penalties, backward, {@link #GRADIENT}, {@link #CLIP}, optimizer update,
 * {@link #DECOUPLED}, {@link #PROXIMAL}, {@link #CONSTRAINT}.
 */
public enum Stage {
    /** Adds ∂R/∂θ to the gradient (coupled penalties: L1, L2, elastic net, soft priors). */
    GRADIENT,
    /** Rescales or clips the gradients of all parameters together (global norm, value). */
    CLIP,
    /** Shrinks θ after the update, decoupled from the gradient: θ ← θ − η_t·λ_t·θ. */
    DECOUPLED,
    /** Applies a proximal operator to the updated θ (soft-thresholding, group lasso). */
    PROXIMAL,
    /** Projects θ onto a constraint set (max-norm, unit-norm, non-negative). */
    CONSTRAINT
}
