package dev.regula.api.regularizer;

import dev.regula.api.spec.Spec;
import dev.regula.api.spec.SpecArguments;
import dev.regula.api.spec.SpecException;
import dev.regula.api.spec.SpecSchema;
import java.util.Objects;
import java.util.function.Function;

/**
 * A plugin author's base for a {@link RegularizerProvider}: a one-line description, a
 * {@link SpecSchema} (whose name is the provider's name) and a factory from validated arguments.
 * A provider is then its constructor:
 *
 * <pre>{@code
 * public final class SmoothL1Provider extends AbstractRegularizerProvider {
 *     public SmoothL1Provider() {
 *         super("smooth L1 (Huber) penalty", SpecSchema.of("regularizer", "smooth-l1",
 *                 SpecKey.schedule("lambda", "1e-4", 0, Double.POSITIVE_INFINITY, "strength"),
 *                 SpecKey.number("delta", "0.01", 0, false, Double.POSITIVE_INFINITY, false, "width"),
 *                 SpecKey.selector("weights")),
 *                 SmoothL1Penalty::new);
 *     }
 * }
 * }</pre>
 *
 * <p>Contract: {@link #create(Spec)} refuses a spec of another name, validates the spec against
 * the schema (unknown keys, out-of-range values and typos are a {@link SpecException} naming the
 * allowed values), and calls the factory once with the validated arguments, defaults filled in.
 * The factory must return a new regularizer each time and must not return null. Subclasses stay
 * stateless and need a public no-argument constructor for {@link java.util.ServiceLoader}.
 */
public abstract class AbstractRegularizerProvider implements RegularizerProvider {
    private final String description;
    private final SpecSchema schema;
    private final Function<SpecArguments, ? extends Regularizer> factory;

    /**
     * @param description one line for {@code regula list}
     * @param schema the keys accepted; its name is the provider's name
     * @param factory builds a new regularizer from validated arguments
     */
    protected AbstractRegularizerProvider(String description, SpecSchema schema,
                                          Function<SpecArguments, ? extends Regularizer> factory) {
        this.description = Objects.requireNonNull(description, "description");
        this.schema = Objects.requireNonNull(schema, "schema");
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    @Override
    public final String name() {
        return schema.name();
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final SpecSchema schema() {
        return schema;
    }

    /**
     * @param spec a spec named {@link #name()}
     * @return a new regularizer from the factory
     * @throws SpecException for another name, unknown keys or out-of-range values
     */
    @Override
    public final Regularizer create(Spec spec) {
        Objects.requireNonNull(spec, "spec");
        if (!spec.name().equals(name())) {
            throw new SpecException("regularizer provider '" + name() + "' cannot create '" + spec.name() + "'");
        }
        return factory.apply(schema.bind(spec));
    }

    @Override
    public String toString() {
        return getClass().getName() + "[" + name() + "]";
    }
}
