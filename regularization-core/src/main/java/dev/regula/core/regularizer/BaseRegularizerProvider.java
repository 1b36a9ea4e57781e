package dev.regula.core.regularizer;

import dev.regula.api.regularizer.AbstractRegularizerProvider;
import dev.regula.api.regularizer.Regularizer;
import dev.regula.api.spec.SpecArguments;
import dev.regula.api.spec.SpecSchema;
import java.util.function.Function;

/**
 * Base of the built-in regularizer providers: a name, a description, a schema and a factory from
 * validated arguments. Subclasses only pass these to the constructor (ServiceLoader needs one
 * public no-argument class per provider). It is the API's {@link AbstractRegularizerProvider},
 * the same base a plugin uses, so built-ins and plugins check and bind specs alike.
 */
public abstract class BaseRegularizerProvider extends AbstractRegularizerProvider {
    /**
     * @param description one line for {@code regula list}
     * @param schema the keys accepted (its name is the provider's name)
     * @param factory builds the regularizer from validated arguments
     */
    protected BaseRegularizerProvider(String description, SpecSchema schema, Function<SpecArguments, Regularizer> factory) {
        super(description, schema, factory);
    }
}
