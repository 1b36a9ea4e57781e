package dev.regula.api.kernels;

import dev.regula.api.RegulaException;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Chooses the {@link Kernels} implementation (the Lucene {@code VectorizationProvider} pattern):
 * the supported provider with the highest priority, or the one named by the system property
 * {@code regula.kernels}. When a higher-priority provider is present but unsupported, one log
 * line says how to enable it.
 */
public final class KernelsSelection {
    /** The system property forcing a provider by name. */
    public static final String PROPERTY = "regula.kernels";

    private KernelsSelection() {
    }

    /** @return every kernels provider found, highest priority first */
    public static List<KernelsProvider> providers() {
        return ServiceLoader.load(KernelsProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparingInt(KernelsProvider::priority).reversed())
                .toList();
    }

    /**
     * @return the provider to use
     * @throws RegulaException if {@code regula.kernels} names an unknown or unsupported provider,
     *     or if none is installed
     */
    public static KernelsProvider select() {
        List<KernelsProvider> all = providers();
        String forced = System.getProperty(PROPERTY, "").trim();
        String names = all.stream().map(KernelsProvider::name).collect(Collectors.joining(", "));
        if (!forced.isEmpty()) {
            for (KernelsProvider p : all) {
                if (p.name().equalsIgnoreCase(forced)) {
                    if (!p.isSupported()) {
                        throw new RegulaException("-D" + PROPERTY + "=" + forced + " is not supported here: " + p.unsupportedReason());
                    }
                    return p;
                }
            }
            throw new RegulaException("-D" + PROPERTY + "=" + forced + " names no installed kernels; installed: " + names);
        }
        for (KernelsProvider p : all) {
            if (p.isSupported()) return p;
            System.getLogger(KernelsSelection.class.getName()).log(System.Logger.Level.INFO,
                    "Regula: " + p.name() + " kernels not used: " + p.unsupportedReason());
        }
        throw new RegulaException("no Kernels provider found; put regularization-core on the module path");
    }

    /** The most compute threads {@link #create} starts (each is an OS thread with its own stack). */
    public static final int MAX_THREADS = 1024;

    /**
     * @param threads number of threads, 1 to {@link #MAX_THREADS}
     * @return kernels of the selected provider
     * @throws IllegalArgumentException if {@code threads} is out of range, before any thread starts
     */
    public static Kernels create(int threads) {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be in [1, " + MAX_THREADS + "], got " + threads);
        }
        return select().create(threads);
    }
}
