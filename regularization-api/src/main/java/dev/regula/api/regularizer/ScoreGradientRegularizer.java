package dev.regula.api.regularizer;

import dev.regula.api.StepContext;

/**
 * A gradient penalty on a critic (a GAN discriminator): R = γ/2 · (1/N)·Σₙ‖∇ₓD(xₙ)‖², the squared
 * norm of the gradient of the critic's score with respect to its input, on real samples (R1) or on
 * generated ones (R2) (Mescheder, Geiger &amp; Nowozin 2018; Roth et al. 2017). A GAN trainer runs
 * it on the discriminator with its own extra backward passes; the supervised trainer has no
 * critic and refuses it. With {@link #every()} = k &gt; 1 the penalty is lazy (Karras et al. 2020):
 * it runs every k-th step with weight γ·k, so its mean effect is unchanged.
 */
public non-sealed interface ScoreGradientRegularizer extends Regularizer {
    /** Which samples the gradient is taken at. */
    enum Samples {
        /** the real samples of the step (R1) */
        REAL,
        /** the generated samples of the step, held fixed (R2) */
        GENERATED
    }

    /** @return where the penalty is evaluated */
    Samples samples();

    /**
     * @param ctx the step
     * @return γ at this step, finite and ≥ 0 (0: nothing runs)
     */
    double gamma(StepContext ctx);

    /** @return k ≥ 1: the penalty runs at steps 0, k, 2k, ... with weight γ·k */
    int every();
}
