/**
 * Helpers shared by the built-in regularizer packages (not exported): the two-dimensional view
 * of a parameter used by row-wise operations, and the spec keys they have in common.
 */
package dev.regula.core.regularizer.support;
