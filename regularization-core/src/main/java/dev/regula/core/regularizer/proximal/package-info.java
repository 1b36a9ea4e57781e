/**
 * Proximal operators applied at the {@link dev.regula.api.regularizer.Stage#PROXIMAL PROXIMAL}
 * stage to the freshly updated parameters: θ ← prox_{η_t·R}(θ), which yields exact zeros
 * (proximal gradient descent, ISTA). Built-ins: {@code l1-proximal}, {@code group-lasso}. The
 * penalty R is reported but not differentiated. Not exported.
 */
package dev.regula.core.regularizer.proximal;
