package dev.regula.api.spec;

/**
 * What every service provider of Regula has in common: a name users type in specs, a one-line
 * description, the keys it accepts, and a factory.
 *
 * <p>Implementations must have a public no-argument constructor (or a public static
 * {@code provider()} method) and be stateless: {@link #create(Spec)} returns a new object each time.
 *
 * @param <T> what the provider creates
 */
public interface NamedProvider<T> {
    /** @return the name used in specs, lower case, unique among providers of the same service */
    String name();

    /** @return one line saying what it does, shown by {@code regula list} */
    String description();

    /** @return the accepted keys with defaults and ranges */
    SpecSchema schema();

    /**
     * Creates a new instance.
     *
     * @param spec a spec whose name is {@link #name()}; validate it with {@code schema().bind(spec)}
     * @return a new instance
     * @throws SpecException for unknown keys or out-of-range values
     */
    T create(Spec spec);
}
