package dev.regula.core.provider;

import dev.regula.api.spec.NamedProvider;
import dev.regula.api.spec.Spec;
import dev.regula.api.spec.SpecArguments;
import dev.regula.api.spec.SpecException;
import dev.regula.api.spec.SpecSchema;
import java.util.Objects;
import java.util.function.Function;

/**
 * Base of the built-in providers (regularizers, optimizers): a description, a schema and a
 * factory from validated arguments. Subclasses only pass these to the constructor, since
 * ServiceLoader needs one public no-argument class per provider.
 *
 * @param <T> what the provider creates
 */
public abstract class BaseProvider<T> implements NamedProvider<T> {
    private final String kind;
    private final String description;
    private final SpecSchema schema;
    private final Function<SpecArguments, ? extends T> factory;

    /**
     * @param kind "regularizer", "optimizer", ... for messages
     * @param description one line for {@code regula list}
     * @param schema the keys accepted (its name is the provider's name)
     * @param factory builds the instance from validated arguments
     */
    protected BaseProvider(String kind, String description, SpecSchema schema, Function<SpecArguments, ? extends T> factory) {
        this.kind = Objects.requireNonNull(kind);
        this.description = Objects.requireNonNull(description);
        this.schema = Objects.requireNonNull(schema);
        this.factory = Objects.requireNonNull(factory);
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

    @Override
    public final T create(Spec spec) {
        Objects.requireNonNull(spec, "spec");
        if (!spec.name().equals(name())) {
            throw new SpecException(kind + " provider '" + name() + "' cannot create '" + spec.name() + "'");
        }
        return factory.apply(schema.bind(spec));
    }
}
