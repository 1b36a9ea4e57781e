/**
 * The regularizer kinds the training pipeline runs and the service that publishes them. Each kind
 * has one place in the step: batch regularizers change the batch, forward perturbations and
 * activation regularizers act in the forward pass, output and input-gradient regularizers add to
 * the loss gradient, parameter regularizers run in their {@link dev.regula.api.regularizer.Stage}
 * after backward, gradient clippers in the CLIP stage, weight averagers last. The hierarchy is
 * sealed ({@link dev.regula.api.regularizer.Regularizer} permits exactly these kinds) and every
 * kind is {@code non-sealed}, so plugins implement a kind and the pipeline dispatches over the
 * kinds exhaustively.
 *
 * <p>Contract: a regularizer is created from spec text by a
 * {@link dev.regula.api.regularizer.RegularizerProvider} ({@code l2(lambda=1e-4)}), reports that
 * text as its {@code spec()}, is deterministic given the step context, and throws nothing for
 * valid input; the pipeline turns an unchecked exception into a
 * {@link dev.regula.api.PluginException} naming it. Regularizers with state of their own
 * (learnable, anchored, averaging, output) expose it so that checkpoints restore a run exactly.
 *
 * <p>A plugin author starts from {@link dev.regula.api.regularizer.AbstractRegularizerProvider}
 * (a provider is its constructor: description, schema, factory) and, for an element-wise penalty,
 * {@link dev.regula.api.regularizer.ElementwisePenalty} (give r and r′; name, spec, stage,
 * selector, λ schedule, penalty sum and gradient update are done). Core's built-ins use the same
 * provider base.
 */
package dev.regula.api.regularizer;
