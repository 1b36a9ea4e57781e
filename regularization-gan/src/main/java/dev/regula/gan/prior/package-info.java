/**
 * The limited face prior: which attributes the condition c carries ({@link dev.regula.gan.prior.FacePrior}),
 * and the prior-guided output penalty λ·Σ_k w_k·MSE(φ_k(G(z, c)), c_k) with fixed or learnable weights
 * ({@link dev.regula.gan.prior.PriorGuidedPenalty}), published as the spec {@code prior-guided}.
 */
package dev.regula.gan.prior;
