package dev.regula.api.regularizer;

import dev.regula.api.internal.ProviderIndex;
import dev.regula.api.spec.Spec;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Finds regularizers through {@link ServiceLoader} and creates them from spec text.
 *
 * <pre>{@code
 * Regularizer l2 = Regularizers.create("l2(lambda=1e-4)");
 * }</pre>
 * Immutable once built; {@link #installed()} reads the boot layer (module path and class path).
 */
public final class Regularizers {
    private final ProviderIndex<RegularizerProvider> index;

    private Regularizers(ServiceLoader<RegularizerProvider> loader) {
        this.index = new ProviderIndex<>("regularizer", loader);
    }

    /** @return the regularizers visible to this module's class loader and the boot layer, looked up once per JVM */
    public static Regularizers installed() {
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
        static final Regularizers INSTANCE;
        static final RuntimeException FAILURE;

        static {
            Regularizers found = null;
            RuntimeException failure = null;
            try {
                found = new Regularizers(ServiceLoader.load(RegularizerProvider.class));
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
     * @param layer a module layer holding plugins (and its parents)
     * @return the regularizers visible in that layer
     */
    public static Regularizers in(ModuleLayer layer) {
        return new Regularizers(ServiceLoader.load(layer, RegularizerProvider.class));
    }

    /**
     * Shortcut for {@code installed().parse(text)}.
     *
     * @param text spec text such as {@code l2(lambda=1e-4)}
     * @return a new regularizer
     */
    public static Regularizer create(String text) {
        return installed().parse(text);
    }

    /**
     * @param text spec text
     * @return a new regularizer
     * @throws dev.regula.api.spec.SpecException for malformed text, unknown names, keys or values
     */
    public Regularizer parse(String text) {
        return create(Spec.parse(text));
    }

    /**
     * @param spec a parsed spec
     * @return a new regularizer
     */
    public Regularizer create(Spec spec) {
        return index.create(spec, Regularizer.class);
    }

    /** @return every provider, sorted by name */
    public List<RegularizerProvider> providers() {
        return index.all();
    }

    /**
     * @param name a provider name
     * @return the provider
     * @throws dev.regula.api.spec.SpecException if unknown, naming the known names
     */
    public RegularizerProvider provider(String name) {
        return index.get(name);
    }
}
