package dev.regula.core.regularizer;

import dev.regula.api.regularizer.Regularizer;
import dev.regula.api.regularizer.RegularizerProvider;
import dev.regula.api.spec.Spec;
import dev.regula.api.spec.SpecArguments;
import dev.regula.api.spec.SpecException;
import dev.regula.api.spec.SpecSchema;
import java.util.Objects;
import java.util.function.Function;

/**
 * Base of the built-in regularizer providers: a name, a description, a schema and a factory from
 * validated arguments. Subclasses only pass these to the constructor (ServiceLoader needs one
 * public no-argument class per provider).
 */
public abstract class BaseRegularizerProvider implements RegularizerProvider {
    private final String description;
    private final SpecSchema schema;
    private final Function<SpecArguments, Regularizer> factory;

    /**
     * @param description one line for {@code regula list}
     * @param schema the keys accepted (its name is the provider's name)
     * @param factory builds the regularizer from validated arguments
     */
    protected BaseRegularizerProvider(String description, SpecSchema schema, Function<SpecArguments, Regularizer> factory) {
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
    public final Regularizer create(Spec spec) {
        if (!spec.name().equals(name())) {
            throw new SpecException("provider '" + name() + "' cannot create '" + spec.name() + "'");
        }
        return factory.apply(schema.bind(spec));
    }
}
