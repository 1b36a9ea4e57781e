/**
 * Soft regularizers: penalties that inject limited, possibly learnable prior information instead
 * of hard constraints (soft decay, soft anchor / L2-SP, soft weight sharing, soft constraints).
 * Not exported; users create them from specs through
 * {@link dev.regula.api.regularizer.Regularizers}.
 */
package dev.regula.core.regularizer.soft;
