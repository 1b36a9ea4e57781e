/**
 * SIMD {@link dev.regula.api.kernels.Kernels} on the JDK Vector API. Found only through
 * {@code ServiceLoader<KernelsProvider>}; nothing imports this module by name and it exports
 * nothing. The incubator module is optional at run time ({@code requires static}): without
 * {@code --add-modules jdk.incubator.vector} the provider reports itself unsupported, says how to
 * enable it, and core's scalar kernels are used.
 */
module dev.regula.vector {
    requires dev.regula.api;
    requires static jdk.incubator.vector;

    provides dev.regula.api.kernels.KernelsProvider with dev.regula.vector.VectorKernelsProvider;
}
