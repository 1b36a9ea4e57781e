package dev.regula.api.internal;

import dev.regula.api.PluginException;
import dev.regula.api.spec.NamedProvider;
import dev.regula.api.spec.Spec;
import dev.regula.api.spec.SpecException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Providers of one service found through {@link ServiceLoader}, indexed by name. Names are
 * case-insensitive, as in specs. Two providers whose names are equal in any case are refused with a
 * {@link PluginException} naming both classes and their modules or jars, so a plugin can neither
 * silently shadow a built-in nor be shadowed by one; a provider that cannot be loaded, has no
 * name, or whose {@code create} throws anything but a {@link SpecException} or returns null is
 * a {@code PluginException} naming it the same way.
 *
 * @param <P> the provider type
 */
public final class ProviderIndex<P extends NamedProvider<?>> {
    private final String kind;
    private final Map<String, P> byName;

    /**
     * @param kind "regularizer", "optimizer" or "model", used in messages
     * @param loader the service loader to read (any iterable of providers)
     */
    public ProviderIndex(String kind, Iterable<P> loader) {
        this.kind = kind;
        Map<String, P> map = new TreeMap<>();
        Iterator<P> it = loader.iterator();
        while (true) {
            P p;
            try {
                if (!it.hasNext()) break;
                p = it.next();
            } catch (ServiceConfigurationError e) {
                throw new PluginException("a " + kind + " provider cannot be loaded: " + e.getMessage()
                        + (e.getCause() == null ? "" : " (" + e.getCause() + ")") + "; remove or fix that plugin", e);
            }
            String name = nameOf(p);
            P old = map.put(name.toLowerCase(Locale.ROOT), p);
            if (old != null && old.getClass() != p.getClass()) {
                throw new PluginException("two " + kind + " providers are named '" + name + "' (names are case-insensitive): '"
                        + old.name() + "' from " + PluginException.origin(old.getClass()) + ", and '" + name + "' from "
                        + PluginException.origin(p.getClass()) + "; remove one of them from the module or class path");
            }
        }
        this.byName = Collections.unmodifiableMap(map);
    }

    private String nameOf(P p) {
        String name;
        try {
            name = p.name();
        } catch (RuntimeException e) {
            throw new PluginException("a " + kind + " provider (" + PluginException.origin(p.getClass()) + ") failed in name(): " + e, e);
        }
        if (name == null || name.isBlank()) {
            throw new PluginException("a " + kind + " provider (" + PluginException.origin(p.getClass()) + ") has no name");
        }
        return name;
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
        P p = byName.get(name.toLowerCase(Locale.ROOT));
        if (p == null) {
            String near = Names.nearest(name, byName.keySet());
            throw new SpecException("unknown " + kind + " '" + name + "'"
                    + (near == null ? "" : "; did you mean '" + near + "'?")
                    + (near == null ? "; known " : " Known ") + kind + "s: " + String.join(", ", byName.keySet()));
        }
        return p;
    }

    /**
     * @param spec a spec
     * @param type what the provider must create
     * @param <T> that type
     * @return what the named provider creates from it
     * @throws SpecException for a bad spec, as the provider reports it
     * @throws PluginException naming the provider and its origin if it throws anything else,
     *     returns null or returns something that is not a {@code type}
     */
    public <T> T create(Spec spec, Class<T> type) {
        P p = get(spec.name());
        Object made;
        try {
            made = p.create(spec);
        } catch (SpecException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            throw new PluginException(kind + " provider '" + p.name() + "' (" + PluginException.origin(p.getClass())
                    + ") failed to create " + spec + ": " + e, e);
        }
        if (!type.isInstance(made)) {
            throw new PluginException(kind + " provider '" + p.name() + "' (" + PluginException.origin(p.getClass())
                    + ") returned " + (made == null ? "null" : "a " + made.getClass().getName() + ", not a " + type.getSimpleName())
                    + " from create(" + spec + ")");
        }
        return type.cast(made);
    }
}
