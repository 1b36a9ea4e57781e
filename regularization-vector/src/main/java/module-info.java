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
    // the HotSpot flags that tell whether C2 and the FMA intrinsic are there (JitCapabilities);
    // java.management binds jdk.management in as its MXBean provider where the image has it
    requires java.management;
    requires static jdk.management;

    provides dev.regula.api.kernels.KernelsProvider with dev.regula.vector.VectorKernelsProvider;
}
