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
        return new Models(ServiceLoader.load(ModelProvider.class));
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
