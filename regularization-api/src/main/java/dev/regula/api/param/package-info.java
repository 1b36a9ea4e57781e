/**
 * Trainable parameters: a value and its gradient of the same shape, a name unique within a model,
 * and a {@link dev.regula.api.param.ParameterRole} by which regularizers select what they act on
 * ({@link dev.regula.api.param.ParameterSelector}; decay defaults to weights, never biases or
 * norm scales). Contract: gradients accumulate until zeroed; names are stable across runs, so
 * checkpoints key parameters by them.
 */
package dev.regula.api.param;
