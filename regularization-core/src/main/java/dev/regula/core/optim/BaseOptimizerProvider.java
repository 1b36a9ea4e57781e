package dev.regula.core.optim;

import dev.regula.api.optim.Optimizer;
import dev.regula.api.optim.OptimizerProvider;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.schedule.Schedule;
import dev.regula.api.spec.Spec;
import dev.regula.api.spec.SpecArguments;
import dev.regula.api.spec.SpecKey;
import dev.regula.api.spec.SpecSchema;
import dev.regula.api.spec.SpecValue;
import dev.regula.core.provider.BaseProvider;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /** @return the {@code weight_decay} key with PyTorch's coupled meaning, default 0 */
    static SpecKey coupledWeightDecay() {
        return nonNegativeSchedule("weight_decay", "0",
                "PyTorch's coupled weight decay: g <- g + weight_decay*w before the update (number or schedule)");
    }

    /**
     * @param defaultValue the default selector
     * @return the {@code decay_on} key: which parameters the optimizer's weight decay acts on
     */
    static SpecKey decayOn(String defaultValue) {
        return new SpecKey("decay_on", SpecKey.Type.SELECTOR, defaultValue, 0, true, 0, true, List.of(),
                "parameters the weight_decay acts on (PyTorch parameter groups): weights, biases, all, role:R, layer:glob, name:glob");
    }

    /**
     * The implied coupled decay, if any: none when {@code weight_decay} is the constant 0.
     *
     * @param args the optimizer's arguments, with {@code weight_decay} and {@code decay_on}
     * @return an empty list or the one {@link CoupledWeightDecay}
     */
    static List<ParameterRegularizer> impliedCoupledDecay(SpecArguments args) {
        Schedule lambda = args.schedule("weight_decay");
        if (isZero(lambda)) return List.of();
        return List.of(new CoupledWeightDecay(lambda, args.selector("decay_on"), args.toSpec().name()));
    }

    /**
     * The canonical spec without {@code weight_decay} and {@code decay_on} when the decay is off,
     * so that specs written before those keys existed (and checkpoints carrying them) still match.
     *
     * @param args the optimizer's arguments
     * @return the canonical spec text
     */
    static String canonicalSpec(SpecArguments args) {
        Spec spec = args.toSpec();
        if (!isZero(args.schedule("weight_decay"))) return spec.toString();
        Map<String, SpecValue> kept = new LinkedHashMap<>(spec.arguments());
        kept.remove("weight_decay");
        kept.remove("decay_on");
        return new Spec(spec.name(), kept).toString();
    }

    private static boolean isZero(Schedule s) {
        for (double x : s.extremes()) {
            if (x != 0) return false;
        }
        return true;
    }

    /**
     * @param defaultValue the default ε
     * @return the {@code eps} key in (0, 1]
     */
    static SpecKey eps(String defaultValue) {
        return SpecKey.number("eps", defaultValue, 0, false, 1, true, "term added to the denominator for stability");
    }
}
