package dev.regula.gan.train;

/**
 * What one training iteration of the GAN did (one discriminator and one generator update).
 *
 * @param step the iteration just completed, from 1
 * @param discriminatorLoss the discriminator's loss, BCE(D(x), 1) + BCE(D(G(z, c)), 0), each a batch mean
 * @param generatorLoss the generator's non-saturating loss BCE(D(G(z, c)), 1) = mean −log σ(D(G(z, c))),
 *     with D after its update
 * @param penalty the output penalties paid by the generator (the prior-guided one; 0 without one or at λ = 0)
 * @param featureError mean over the batch of ‖φ(G(z, c)) − c‖ (a measurement, whatever λ), NaN without a prior-guided penalty
 * @param realScore mean σ(D(x)) on the real batch, before D's update
 * @param fakeScore mean σ(D(G(z, c))) on the generated batch, before D's update
 * @param r1 the last R1 value γ/2·mean‖∇ₓD(x)‖² (computed every r1Every steps), NaN without R1
 * @param pairRatio the {@link DiversityTerm}'s mean capped ratio of image to latent distance over
 *     the pairs sharing a condition (its loss is −w times it), NaN without the term
 */
public record GanStep(long step, double discriminatorLoss, double generatorLoss, double penalty, double featureError,
                      double realScore, double fakeScore, double r1, double pairRatio) {
}
