package dev.regula.api.regularizer;

/**
 * Anything that regularizes training. The concrete kinds are:
 * <ul>
 *   <li>{@link ParameterRegularizer}: acts on parameters at one pipeline {@link Stage}
 *       (penalties, decay, proximal operators, projections), possibly {@link LearnableRegularizer learnable};</li>
 *   <li>{@link GradientClipper}: rescales all gradients together ({@link Stage#CLIP});</li>
 *   <li>{@link ActivationRegularizer}: acts on activations in training mode (the dropout family);</li>
 *   <li>{@link ForwardPerturbation}: perturbs parameters for one forward/backward pass (drop-connect);</li>
 *   <li>{@link ActivityRegularizer}: an activation regularizer that penalises the activations themselves;</li>
 *   <li>{@link OutputRegularizer}: penalises the model's output given a condition or the targets
 *       (the GAN's prior-guided penalty, soft output bounds, the confidence penalty);</li>
 *   <li>{@link WeightAverager}: keeps an average of the weights after each update (EMA, SWA);</li>
 *   <li>{@link BatchRegularizer}: augments or mixes each training batch as it is assembled (mixup, CutMix, flips);</li>
 *   <li>{@link InputGradientRegularizer}: penalises the loss gradient with respect to the input (double backpropagation);</li>
 *   <li>{@link ScoreGradientRegularizer}: penalises a GAN critic's input gradient on real (R1) or generated (R2) samples.</li>
 * </ul>
 * Instances come from a {@link RegularizerProvider} and may keep state for one training run.
 */
public interface Regularizer {
    /** @return the provider name, e.g. {@code l2} */
    String name();

    /** @return the canonical spec that recreates this regularizer, e.g. {@code l2(lambda=1.0E-4, on=weights)} */
    String spec();
}
