package dev.regula.api.regularizer;

/**
 * Anything that regularizes training. The hierarchy is sealed: a regularizer is exactly one of
 * the kinds the pipeline runs, each with its own place in the training step:
 * <ul>
 *   <li>{@link ParameterRegularizer}: acts on parameters at one pipeline {@link Stage}
 *       (penalties, decay, proximal operators, projections); refined by
 *       {@link LearnableRegularizer} (parameters of its own, learned with the model),
 *       {@link AnchoredRegularizer} (pulls toward reference values θ₀) and {@link CoupledDecay}
 *       (an L2-type decay the optimizer may fold into its pass);</li>
 *   <li>{@link GradientClipper}: rescales all gradients together ({@link Stage#CLIP});</li>
 *   <li>{@link ActivationRegularizer}: acts on activations in training mode (the dropout family),
 *       refined by {@link ActivityRegularizer}, which penalises the activations themselves;</li>
 *   <li>{@link ForwardPerturbation}: perturbs parameters for one forward/backward pass (drop-connect);</li>
 *   <li>{@link OutputRegularizer}: penalises the model's output given a condition or the targets
 *       (the GAN's prior-guided penalty, soft output bounds, the confidence penalty);</li>
 *   <li>{@link WeightAverager}: keeps an average of the weights after each update (EMA, SWA);</li>
 *   <li>{@link BatchRegularizer}: augments or mixes each training batch as it is assembled (mixup, CutMix, flips);</li>
 *   <li>{@link InputGradientRegularizer}: penalises the loss gradient with respect to the input (double backpropagation);</li>
 *   <li>{@link ScoreGradientRegularizer}: penalises a GAN critic's input gradient on real (R1) or generated (R2) samples.</li>
 * </ul>
 * Every kind is {@code non-sealed}: a plugin implements one of them (never {@code Regularizer}
 * itself, which the compiler refuses), and a trainer can dispatch over the kinds with an
 * exhaustive {@code switch} that needs no default branch. A new kind is a change of this API,
 * made together with the pipeline that runs it.
 * Instances come from a {@link RegularizerProvider} and may keep state for one training run.
 */
public sealed interface Regularizer
        permits ParameterRegularizer, GradientClipper, ActivationRegularizer, ForwardPerturbation, OutputRegularizer,
                WeightAverager, BatchRegularizer, InputGradientRegularizer, ScoreGradientRegularizer {
    /** @return the provider name, e.g. {@code l2} */
    String name();

    /** @return the canonical spec that recreates this regularizer, e.g. {@code l2(lambda=1.0E-4, on=weights)} */
    String spec();
}
