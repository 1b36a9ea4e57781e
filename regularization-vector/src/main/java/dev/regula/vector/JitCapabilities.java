package dev.regula.vector;

import java.util.Optional;
import java.util.function.Function;

/**
 * Whether this JVM compiles Vector API code into SIMD instructions, checked the way Lucene's
 * vectorization provider does: the Vector API is only fast once C2 intrinsifies it, and
 * {@code FloatVector.fma} only with the hardware FMA intrinsic. Without them every vector
 * operation is a Java object allocation or a {@code BigDecimal}-exact software FMA, thousands of
 * times slower than the scalar kernels. The checks, on the HotSpot flags read through the
 * diagnostic MXBean and {@code java.vm.info}:
 * <ul>
 *   <li>the JVM runs interpreted ({@code -Xint}), or with {@code -XX:-UseCompiler};</li>
 *   <li>tiered compilation stops below C2 ({@code -XX:TieredStopAtLevel=1..3}, as some IDE and
 *       container launchers set for fast start-up);</li>
 *   <li>{@code UseFMA} is off (a CPU without FMA, or {@code -XX:-UseFMA}).</li>
 * </ul>
 * A JVM that does not expose a flag (not HotSpot, or without {@code jdk.management}) is given
 * the benefit of the doubt for that flag.
 *
 * @param problem empty when the vector kernels can run fast, else why they cannot and what to change
 */
record JitCapabilities(Optional<String> problem) {
    /** @return the capabilities of the running JVM */
    static JitCapabilities ofThisJvm() {
        return of(JitCapabilities::vmOption, System.getProperty("java.vm.info", ""));
    }

    /**
     * @param option the value of a HotSpot flag by name, empty when the JVM does not have it
     * @param vmInfo the {@code java.vm.info} property (e.g. "mixed mode, sharing" or "interpreted mode")
     * @return the capabilities these flags describe
     */
    static JitCapabilities of(Function<String, Optional<String>> option, String vmInfo) {
        if (vmInfo.contains("interpreted mode") || option.apply("UseCompiler").filter("false"::equals).isPresent()) {
            return new JitCapabilities(Optional.of("the JVM runs interpreted (-Xint or -XX:-UseCompiler), so Vector API"
                    + " code is never compiled to SIMD instructions; remove that option to use the SIMD kernels"));
        }
        boolean tiered = option.apply("TieredCompilation").map("true"::equals).orElse(true);
        Optional<Integer> stop = option.apply("TieredStopAtLevel").flatMap(JitCapabilities::integer);
        if (tiered && stop.isPresent() && stop.get() < 4) {
            return new JitCapabilities(Optional.of("-XX:TieredStopAtLevel=" + stop.get() + " keeps the C2 compiler from"
                    + " running, and only C2 turns Vector API code into SIMD instructions; remove the option"
                    + " (or use 4) to use the SIMD kernels"));
        }
        if (option.apply("UseFMA").filter("false"::equals).isPresent()) {
            return new JitCapabilities(Optional.of("the JVM has no hardware FMA intrinsic (UseFMA is false: the CPU lacks"
                    + " FMA or -XX:-UseFMA is set), so every vector fused multiply-add would be computed in software;"
                    + " the scalar kernels are faster here"));
        }
        return new JitCapabilities(Optional.empty());
    }

    /** @return true when nothing keeps the vector kernels from running as SIMD code */
    boolean fast() {
        return problem.isEmpty();
    }

    private static Optional<Integer> integer(String s) {
        try {
            return Optional.of(Integer.parseInt(s.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** A HotSpot flag's value, or empty where the JVM or its management module does not have it. */
    private static Optional<String> vmOption(String name) {
        try {
            com.sun.management.HotSpotDiagnosticMXBean bean = java.lang.management.ManagementFactory
                    .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return bean == null ? Optional.empty() : Optional.of(bean.getVMOption(name).getValue());
        } catch (IllegalArgumentException | LinkageError | SecurityException e) {
            // no such flag on this JVM, or jdk.management not in the image
            return Optional.empty();
        }
    }
}
