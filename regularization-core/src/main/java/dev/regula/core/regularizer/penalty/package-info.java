/**
 * Coupled penalties acting at the {@link dev.regula.api.regularizer.Stage#GRADIENT GRADIENT}
 * stage: each adds R(θ) to the reported objective and ∂R/∂θ to the gradient before clipping and
 * the optimizer update. Built-ins: {@code l1}, {@code l2}, {@code elastic-net}, {@code orthogonal}.
 * Not exported; use them through their specs.
 */
package dev.regula.core.regularizer.penalty;
