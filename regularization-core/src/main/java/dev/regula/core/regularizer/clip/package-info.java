/**
 * Gradient clippers, run at the {@link dev.regula.api.regularizer.Stage#CLIP CLIP} stage over the
 * gradients of all trainable parameters together, after the GRADIENT-stage penalties and before
 * the optimizer update. Built-ins: {@code clip-norm}, {@code clip-value}. Not exported.
 */
package dev.regula.core.regularizer.clip;
