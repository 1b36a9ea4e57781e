package dev.regula.api.internal;

import dev.regula.api.spec.NamedProvider;
import dev.regula.api.spec.Spec;
import dev.regula.api.spec.SpecException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Providers of one service found through {@link ServiceLoader}, indexed by name. Duplicate names
 * are an error naming both classes, so a plugin cannot silently shadow a built-in.
 *
 * @param <P> the provider type
 */
public final class ProviderIndex<P extends NamedProvider<?>> {
    private final String kind;
    private final Map<String, P> byName;

    /**
     * @param kind "regularizer", "optimizer" or "model", used in messages
     * @param loader the service loader to read
     */
    public ProviderIndex(String kind, ServiceLoader<P> loader) {
        this.kind = kind;
        Map<String, P> map = new TreeMap<>();
        for (P p : loader) {
            P old = map.put(p.name(), p);
            if (old != null && old.getClass() != p.getClass()) {
                throw new IllegalStateException("two " + kind + " providers are named '" + p.name() + "': "
                        + old.getClass().getName() + " and " + p.getClass().getName());
            }
        }
        this.byName = Collections.unmodifiableMap(map);
    }

    /** @return providers sorted by name */
    public List<P> all() {
        return new ArrayList<>(byName.values());
    }

    /**
     * @param name a provider name
     * @return the provider
     * @throws SpecException naming the known names and the nearest one
     */
    public P get(String name) {
        P p = byName.get(name);
        if (p == null) {
            String near = Names.nearest(name, byName.keySet());
            throw new SpecException("unknown " + kind + " '" + name + "'"
                    + (near == null ? "" : "; did you mean '" + near + "'?")
                    + " Known " + kind + "s: " + String.join(", ", byName.keySet()));
        }
        return p;
    }

    /**
     * @param spec a spec
     * @return what the named provider creates from it
     */
    public Object create(Spec spec) {
        return get(spec.name()).create(spec);
    }
}
