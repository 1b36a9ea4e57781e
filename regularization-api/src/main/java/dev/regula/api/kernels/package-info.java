/**
 * The compute SPI: {@link dev.regula.api.kernels.Kernels} (GEMM, element-wise operations,
 * reductions) found through {@link dev.regula.api.kernels.KernelsProvider}, and the counter-based
 * random numbers of every mask. Contract: every implementation gives the same results as the
 * scalar one within the documented tolerance, and random masks are functions of (seed, stream,
 * step, element) only, whatever the thread count or SIMD width.
 */
package dev.regula.api.kernels;
