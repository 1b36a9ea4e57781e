/**
 * The dense float32 tensor, row-major, first dimension the batch. Contract: a tensor owns its
 * array, which callers may read and write directly for speed; shapes are checked on every
 * operation that combines tensors, and a mismatch is a {@link dev.regula.api.ShapeMismatchException}.
 */
package dev.regula.api.tensor;
