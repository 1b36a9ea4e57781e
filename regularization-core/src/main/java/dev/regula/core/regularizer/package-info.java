/**
 * What regularizer providers in Regula's other modules build on: the base of spec-driven
 * providers. Contract: the built-in regularizers themselves are in non-exported packages and are
 * reached through their specs; their kinds (including {@link dev.regula.api.regularizer.AnchoredRegularizer},
 * whose references checkpoints save) are the API's.
 */
package dev.regula.core.regularizer;
