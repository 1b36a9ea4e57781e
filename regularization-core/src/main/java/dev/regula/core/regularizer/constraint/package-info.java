/**
 * Projections applied at the {@link dev.regula.api.regularizer.Stage#CONSTRAINT CONSTRAINT}
 * stage, last in the step: {@code max-norm}, {@code unit-norm}, {@code min-max-norm},
 * {@code non-negative}. Each is idempotent (applying it twice equals once, up to float rounding),
 * except {@code min-max-norm} with {@code rate < 1}, which is a relaxation rather than a projection.
 * Row-wise constraints act on the parameter flattened to {@code [dim0, rest]}
 * ({@link dev.regula.core.regularizer.support.GroupView}). Not exported.
 */
package dev.regula.core.regularizer.constraint;
