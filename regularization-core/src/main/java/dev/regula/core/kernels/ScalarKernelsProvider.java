package dev.regula.core.kernels;

import dev.regula.api.kernels.Kernels;
import dev.regula.api.kernels.KernelsProvider;

/** Publishes {@link ScalarKernels}: priority 0, always supported, the fallback. */
public final class ScalarKernelsProvider implements KernelsProvider {
    /** Creates the provider. */
    public ScalarKernelsProvider() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public boolean isSupported() {
        return true;
    }

    @Override
    public Kernels create(int threads) {
        return new ScalarKernels();
    }
}
