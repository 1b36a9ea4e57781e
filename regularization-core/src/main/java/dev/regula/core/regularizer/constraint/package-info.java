/**
 * Projections applied at the {@link dev.regula.api.regularizer.Stage#CONSTRAINT CONSTRAINT}
 * stage, last in the step: {@code max-norm}, {@code unit-norm}, {@code min-max-norm},
 * {@code non-negative}, {@code spectral-norm}. Each is idempotent (applying it twice equals once, up to float rounding),
 * except {@code min-max-norm} with {@code rate < 1}, which is a relaxation rather than a projection,
 * and {@code spectral-norm}, which is idempotent once its power iteration has converged.
 * Row-wise constraints act on the parameter flattened to {@code [dim0, rest]}
 * ({@link dev.regula.core.regularizer.support.GroupView}). Not exported.
 */
package dev.regula.core.regularizer.constraint;
