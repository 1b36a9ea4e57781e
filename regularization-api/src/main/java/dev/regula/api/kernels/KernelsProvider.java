package dev.regula.api.kernels;

/**
 * Service interface publishing one {@link Kernels} implementation. {@link KernelsSelection}
 * picks, once, the provider with the highest {@link #priority()} whose {@link #isSupported()}
 * holds, unless the system property {@code regula.kernels} names one.
 */
public interface KernelsProvider {
    /** @return short name used by {@code -Dregula.kernels=NAME}, e.g. {@code scalar}, {@code vector} */
    String name();

    /** @return higher wins; core's scalar provider is 0 */
    int priority();

    /** @return true if this provider can run here (e.g. the incubator module is readable) */
    boolean isSupported();

    /** @return why it is not supported and how to enable it, or "" if supported */
    default String unsupportedReason() {
        return "";
    }

    /**
     * @param threads the number of threads kernels may use (≥ 1)
     * @return the kernels
     */
    Kernels create(int threads);
}
