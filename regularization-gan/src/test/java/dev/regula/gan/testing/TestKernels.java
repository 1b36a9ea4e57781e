package dev.regula.gan.testing;

import dev.regula.api.kernels.Kernels;
import dev.regula.api.kernels.KernelsSelection;

/**
 * The kernels of this test run. The module's tests run twice (parent pom): once with
 * {@code -Dregula.kernels=scalar} and once with {@code -Dregula.kernels=vector}, so every GAN test
 * that computes goes through both the scalar and the SIMD kernels. Two threads, though the GAN
 * tests' small shapes split only a few products over them. The instance is shared: kernels are
 * thread-safe.
 */
public final class TestKernels {
    private static final Kernels SELECTED = KernelsSelection.create(2);

    private TestKernels() {
    }

    /** @return the kernels that {@code -Dregula.kernels} forces for this run */
    public static Kernels selected() {
        return SELECTED;
    }
}
