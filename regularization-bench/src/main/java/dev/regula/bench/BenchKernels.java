package dev.regula.bench;

import dev.regula.api.kernels.Kernels;
import dev.regula.api.kernels.KernelsProvider;
import dev.regula.api.kernels.KernelsSelection;

/** Looks up kernels by provider name, failing loudly when the requested one cannot run. */
final class BenchKernels {
    private BenchKernels() {
    }

    /**
     * @param name provider name, {@code scalar} or {@code vector}
     * @param threads threads for GEMM
     * @return the kernels
     * @throws IllegalStateException if the provider is missing or unsupported in this JVM
     */
    static Kernels create(String name, int threads) {
        for (KernelsProvider p : KernelsSelection.providers()) {
            if (p.name().equals(name)) {
                if (!p.isSupported()) {
                    throw new IllegalStateException(name + " kernels unsupported: " + p.unsupportedReason());
                }
                return p.create(threads);
            }
        }
        throw new IllegalStateException("no kernels provider named " + name);
    }
}
