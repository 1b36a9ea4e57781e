package dev.regula.api.model;

import dev.regula.api.internal.ProviderIndex;
import dev.regula.api.spec.Spec;
import java.util.List;
import java.util.ServiceLoader;

/** Finds model architectures through {@link ServiceLoader} and creates blueprints from spec text. */
public final class Models {
    private final ProviderIndex<ModelProvider> index;

    private Models(ServiceLoader<ModelProvider> loader) {
        this.index = new ProviderIndex<>("model", loader);
    }

    /** @return the models visible to this module's class loader and the boot layer */
    public static Models installed() {
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
        static final Models INSTANCE;
        static final RuntimeException FAILURE;

        static {
            Models found = null;
            RuntimeException failure = null;
            try {
                found = new Models(ServiceLoader.load(ModelProvider.class));
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
     * @param text spec text such as {@code mlp(hidden=256x256)}
     * @return the blueprint
     */
    public ModelBlueprint parse(String text) {
        Spec spec = Spec.parse(text);
        return index.create(spec, ModelBlueprint.class);
    }

    /** @return every provider, sorted by name */
    public List<ModelProvider> providers() {
        return index.all();
    }
}
