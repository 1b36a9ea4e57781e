/**
 * Optimizers and their service. Contract: an optimizer updates parameters in place from their
 * gradients at the learning rate of the step context, keeps its state (moments, velocities) as
 * named tensors that {@code state()} returns and {@code loadState} restores exactly, and knows
 * nothing of regularization beyond its implied regularizers: decay runs in the pipeline.
 */
package dev.regula.api.optim;
