package dev.regula.core.optim;

import dev.regula.api.optim.Optimizer;
import dev.regula.api.optim.OptimizerProvider;
import dev.regula.api.spec.SpecArguments;
import dev.regula.api.spec.SpecKey;
import dev.regula.api.spec.SpecSchema;
import java.util.List;
import dev.regula.core.provider.BaseProvider;
import java.util.function.Function;

/**
 * Base of the built-in optimizer providers: a description, a schema and a factory from
 * validated arguments. Subclasses are public no-argument classes (ServiceLoader needs one per provider).
 */
abstract class BaseOptimizerProvider extends BaseProvider<Optimizer> implements OptimizerProvider {
    BaseOptimizerProvider(String description, SpecSchema schema, Function<SpecArguments, Optimizer> factory) {
        super("optimizer", description, schema, factory);
    }

    /**
     * @param defaultValue the default learning rate
     * @return the {@code lr} key: a schedule with values in [0, +inf)
     */
    static SpecKey lr(String defaultValue) {
        return nonNegativeSchedule("lr", defaultValue, "learning rate η_t (number or schedule)");
    }

    /**
     * @param key the key
     * @param defaultValue its default
     * @param description what it does
     * @return a schedule key with values in [0, +inf)
     */
    static SpecKey nonNegativeSchedule(String key, String defaultValue, String description) {
        return new SpecKey(key, SpecKey.Type.SCHEDULE, defaultValue, 0, true, Double.POSITIVE_INFINITY, false,
                List.of(), description);
    }

    /**
     * @param key the key
     * @param defaultValue its default
     * @param description what it does
     * @return a number key in [0, 1), for decay rates such as β1 and momentum
     */
    static SpecKey unitInterval(String key, String defaultValue, String description) {
        return SpecKey.number(key, defaultValue, 0, true, 1, false, description);
    }

    /**
     * @param defaultValue the default ε
     * @return the {@code eps} key in (0, 1]
     */
    static SpecKey eps(String defaultValue) {
        return SpecKey.number("eps", defaultValue, 0, false, 1, true, "term added to the denominator for stability");
    }
}
