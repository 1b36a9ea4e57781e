/**
 * What regularizers implemented outside core may build on: the base of spec-driven providers and
 * the anchored-regularizer interface whose references checkpoints save. Contract: the built-in
 * regularizers themselves are in non-exported packages and are reached through their specs.
 */
package dev.regula.core.regularizer;
