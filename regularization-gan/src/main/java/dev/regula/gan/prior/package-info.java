/**
 * The prior-guided output penalty λ·‖φ(G(z, c)) − c‖² of the conditional GAN
 * ({@link dev.regula.gan.prior.PriorGuidedPenalty}) and its spec provider {@code prior-guided}.
 */
package dev.regula.gan.prior;
