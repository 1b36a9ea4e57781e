package dev.regula.vector;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.regula.api.kernels.Kernels;
import java.util.Random;
import java.util.stream.IntStream;

/** Shared fixtures: the kernels under test (skipped where the incubator module is absent) and data. */
final class KernelsTestSupport {
    /**
     * Lengths covering empty, single, every common species length ± 1 (4, 8, 16 lanes and the
     * doubled unroll of reductions), odd primes, the reduction block boundary, a large size, and
     * sizes at and above {@link VectorKernels#PARALLEL_ELEMENTS}, where element-wise kernels are
     * split over the threads (tests use two threads).
     */
    static final int[] SIZES = {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 97, 257,
        1023, 1024, 1025, 2049, 10_007, VectorKernels.PARALLEL_ELEMENTS, 131_101};

    private KernelsTestSupport() {
    }

    static IntStream sizes() {
        return IntStream.of(SIZES);
    }

    /** @return SIMD kernels with the given threads; aborts (skips) the test when SIMD is unavailable */
    static Kernels vector(int threads) {
        VectorKernelsProvider provider = new VectorKernelsProvider();
        assumeTrue(provider.isSupported(), "jdk.incubator.vector not resolved: " + provider.unsupportedReason());
        return provider.create(threads);
    }

    /** Gaussian data with some exact ±0, and a few values near ±1 (thresholds used by tests). */
    static float[] data(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            int kind = rnd.nextInt(20);
            x[i] = switch (kind) {
                case 0 -> 0f;
                case 1 -> -0f;
                case 2 -> rnd.nextBoolean() ? 0.5f : -0.5f;
                default -> (float) rnd.nextGaussian();
            };
        }
        return x;
    }
}
