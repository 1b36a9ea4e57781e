/**
 * Built-in data losses: {@link dev.regula.core.loss.SoftmaxCrossEntropy} (logits and class
 * indices, optional label smoothing), {@link dev.regula.core.loss.BinaryCrossEntropyWithLogits}
 * and {@link dev.regula.core.loss.MeanSquaredError}. Each computes the mean loss and writes
 * ∂loss/∂output; the reductions match PyTorch's {@code reduction='mean'}.
 */
package dev.regula.core.loss;
