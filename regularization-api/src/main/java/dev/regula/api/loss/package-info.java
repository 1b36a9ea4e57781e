/**
 * Data losses. Contract: {@link dev.regula.api.loss.Loss#compute} returns the mean loss over the
 * batch and writes its gradient with respect to the output, without penalties (they are reported
 * separately).
 */
package dev.regula.api.loss;
