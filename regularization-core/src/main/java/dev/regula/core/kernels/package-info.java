/**
 * The scalar {@link dev.regula.api.kernels.Kernels}, the reference every SIMD implementation is
 * tested against and the fallback when none is supported. Contract: plain Java, no third-party
 * code, deterministic for a given thread count.
 */
package dev.regula.core.kernels;
