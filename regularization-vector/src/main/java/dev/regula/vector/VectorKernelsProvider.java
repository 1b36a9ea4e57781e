package dev.regula.vector;

import dev.regula.api.kernels.Kernels;
import dev.regula.api.kernels.KernelsProvider;

/**
 * Placeholder for the SIMD kernels provider: until the Vector API kernels land it reports itself
 * unsupported, so {@link dev.regula.api.kernels.KernelsSelection} falls back to core's scalar kernels.
 */
public final class VectorKernelsProvider implements KernelsProvider {
    /** Creates the provider. */
    public VectorKernelsProvider() {
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public boolean isSupported() {
        return false;
    }

    @Override
    public String unsupportedReason() {
        return "the SIMD kernels are not implemented yet in this build";
    }

    @Override
    public Kernels create(int threads) {
        throw new UnsupportedOperationException(unsupportedReason());
    }
}
