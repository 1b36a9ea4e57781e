package dev.regula.vector;

import dev.regula.api.kernels.Kernels;
import dev.regula.api.kernels.KernelsProvider;
import java.util.Optional;

/**
 * Publishes the SIMD {@link Kernels} built on the JDK Vector API ({@code jdk.incubator.vector}),
 * priority 100 so that it wins over core's scalar kernels whenever it can run.
 *
 * <p>The incubator module is optional at run time: this class checks that it is present in the
 * boot layer (or in this module's own layer) without touching any vector class, and the kernels
 * class is only loaded by {@link #create(int)}. Without the module, {@link #isSupported()} is
 * false and {@link #unsupportedReason()} says how to enable it; results are then computed by the
 * scalar fallback. The provider also reports itself unsupported, saying why, when the JVM would
 * not compile the vector code to SIMD instructions (no C2, no hardware FMA: see
 * {@link JitCapabilities}), where the SIMD kernels would run thousands of times slower than the
 * scalar ones. The JVM prints "WARNING: Using incubator modules" when the module is added;
 * that warning cannot be turned off. The first kernels created start the JIT warm-up of
 * {@link JitWarmup} ({@code -Dregula.kernels.warmup=false} turns it off).
 */
public final class VectorKernelsProvider implements KernelsProvider {
    /** The module that must be resolved for the SIMD kernels to run. */
    static final String VECTOR_MODULE = "jdk.incubator.vector";

    /** Creates the provider; cheap, touches no vector class. */
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

    /**
     * @return true when {@code jdk.incubator.vector} is resolved in the boot layer or in the
     *     layer of this module, and the JVM compiles vector code with C2 and hardware FMA
     */
    @Override
    public boolean isSupported() {
        return vectorModulePresent() && Jit.CAPABILITIES.fast();
    }

    @Override
    public String unsupportedReason() {
        if (isSupported()) return "";
        if (vectorModulePresent()) return Jit.CAPABILITIES.problem().orElseThrow();
        return "module " + VECTOR_MODULE + " is not resolved: add --add-modules " + VECTOR_MODULE
                + " to the java command line to enable SIMD kernels (on the module path and on the class path alike)";
    }

    /**
     * @param threads the number of threads GEMM may use (≥ 1); element-wise kernels run on the
     *     calling thread
     * @return SIMD kernels whose {@link Kernels#name()} names the vector width and thread count,
     *     e.g. {@code vector(256-bit, 2 threads)}
     * @throws IllegalArgumentException if {@code threads < 1}
     * @throws UnsupportedOperationException if {@link #isSupported()} is false
     * @throws dev.regula.api.RegulaException if {@code regula.kernels.warmup} is neither true nor false
     */
    @Override
    public Kernels create(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (!isSupported()) {
            throw new UnsupportedOperationException(unsupportedReason());
        }
        return Holder.create(threads);
    }

    static boolean vectorModulePresent() {
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent()) return true;
        ModuleLayer own = VectorKernelsProvider.class.getModule().getLayer();
        if (own == null) return false;
        Optional<Module> m = own.findModule(VECTOR_MODULE);
        return m.isPresent();
    }

    /** The JIT flags, read once on first use (they cannot change while the JVM runs). */
    private static final class Jit {
        static final JitCapabilities CAPABILITIES = JitCapabilities.ofThisJvm();

        private Jit() {
        }
    }

    /** Loads the kernels class only on first use, so nothing of the incubator API is touched earlier. */
    private static final class Holder {
        private Holder() {
        }

        static Kernels create(int threads) {
            JitWarmup.startOnce();
            return new VectorKernels(threads);
        }
    }
}
