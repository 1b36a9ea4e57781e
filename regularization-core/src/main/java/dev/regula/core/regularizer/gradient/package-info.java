/** Gradient penalties: the input-gradient ("double backpropagation") penalty. */
package dev.regula.core.regularizer.gradient;
