package dev.regula.api.optim;

import dev.regula.api.internal.ProviderIndex;
import dev.regula.api.spec.Spec;
import java.util.List;
import java.util.ServiceLoader;

/** Finds optimizers through {@link ServiceLoader} and creates them from spec text. */
public final class Optimizers {
    private final ProviderIndex<OptimizerProvider> index;

    private Optimizers(ServiceLoader<OptimizerProvider> loader) {
        this.index = new ProviderIndex<>("optimizer", loader);
    }

    /** @return the optimizers visible to this module's class loader and the boot layer */
    public static Optimizers installed() {
        if (Installed.FAILURE != null) throw Installed.FAILURE;
        return Installed.INSTANCE;
    }

    /**
     * The installed providers, looked up once, at first use, as the JDK's
     * {@code FileSystemProvider.installedProviders()} does: {@code ServiceLoader} then runs once per
     * JVM instead of on every {@code create}. A failure of that lookup (a broken plugin) is kept
     * and thrown again by every call, with its message naming the plugin.
     */
    private static final class Installed {
        static final Optimizers INSTANCE;
        static final RuntimeException FAILURE;

        static {
            Optimizers found = null;
            RuntimeException failure = null;
            try {
                found = new Optimizers(ServiceLoader.load(OptimizerProvider.class));
            } catch (RuntimeException e) {
                failure = e;
            }
            INSTANCE = found;
            FAILURE = failure;
        }

        private Installed() {
        }
    }

    /**
     * Shortcut for {@code installed().parse(text)}.
     *
     * @param text spec text such as {@code adam(lr=1e-3)}
     * @return a new optimizer
     */
    public static Optimizer create(String text) {
        return installed().parse(text);
    }

    /**
     * @param text spec text
     * @return a new optimizer
     */
    public Optimizer parse(String text) {
        Spec spec = Spec.parse(text);
        return index.create(spec, Optimizer.class);
    }

    /** @return every provider, sorted by name */
    public List<OptimizerProvider> providers() {
        return index.all();
    }
}
