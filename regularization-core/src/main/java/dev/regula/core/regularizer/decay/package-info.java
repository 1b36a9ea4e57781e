/**
 * Decoupled weight decay, applied at the {@link dev.regula.api.regularizer.Stage#DECOUPLED
 * DECOUPLED} stage on the pre-update weights, just before the optimizer update (Loshchilov and Hutter, "Decoupled Weight Decay
 * Regularization", ICLR 2019). Built-in: {@code weight-decay}. Not exported.
 */
package dev.regula.core.regularizer.decay;
