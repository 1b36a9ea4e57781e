package dev.regula.api;

import java.net.URL;
import java.security.CodeSource;

/**
 * A provider or regularizer failed in a way its contract does not allow: two providers of one
 * service share a name (in any case), a provider cannot be loaded, its {@code create} throws
 * something other than a {@link dev.regula.api.spec.SpecException} or returns null, or a
 * regularizer throws while training. The message names the provider and where it came from
 * ({@link #origin(Class)}: its module and jar), so a faulty plugin can be found and removed.
 */
public final class PluginException extends RegulaException {
    /** @param message what failed, naming the provider and its origin */
    public PluginException(String message) {
        super(message);
    }

    /**
     * @param message what failed, naming the provider and its origin
     * @param cause what the provider threw
     */
    public PluginException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * @param type a provider or regularizer class
     * @return where it was loaded from, e.g. {@code "class com.acme.Foo in module com.acme.plugin,
     *     file:/opt/plugins/acme.jar"} or {@code "... on the class path, file:/x/acme.jar"}
     */
    public static String origin(Class<?> type) {
        Module m = type.getModule();
        String where = m.isNamed() ? "in module " + m.getName() : "on the class path";
        String location = null;
        try {
            CodeSource cs = type.getProtectionDomain().getCodeSource();
            URL url = cs == null ? null : cs.getLocation();
            location = url == null ? null : url.toString();
        } catch (SecurityException e) {
            location = null;
        }
        return "class " + type.getName() + " " + where + (location == null ? "" : ", " + location);
    }
}
