package dev.regula.core.regularizer.averaging;

import dev.regula.api.spec.SpecKey;
import dev.regula.api.spec.SpecSchema;
import dev.regula.core.regularizer.BaseRegularizerProvider;

/**
 * Publishes {@code ema(decay=0.999, warmup=true)}: an exponential moving average of all trainable
 * weights after every update (see {@link Ema}); evaluate with it through {@code --eval-weights ema}.
 * {@code decay} is in [0, 1).
 */
public final class EmaProvider extends BaseRegularizerProvider {
    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public EmaProvider() {
        super("exponential moving average of the weights after each update (timm ModelEma); evaluate with --eval-weights ema",
                SpecSchema.of("regularizer", Ema.KIND,
                        SpecKey.number("decay", "0.999", 0, true, 1, false, "decay d: avg <- d*avg + (1-d)*w"),
                        SpecKey.bool("warmup", true, "use min(decay, (1+t)/(10+t)) after t updates (TensorFlow num_updates)")),
                Ema::new);
    }
}
