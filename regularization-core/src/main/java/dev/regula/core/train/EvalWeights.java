package dev.regula.core.train;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which weights a {@link Trainer} evaluates with: the live ones being trained, or an average kept
 * by a {@link dev.regula.api.regularizer.WeightAverager} of the run ({@code ema(...)} or
 * {@code swa(...)}). Training itself always uses the live weights.
 */
public enum EvalWeights {
    /** The weights being trained (the default). */
    LIVE,
    /** The exponential moving average of an {@code ema(...)} regularizer. */
    EMA,
    /** The stochastic weight average of an {@code swa(...)} regularizer. */
    SWA;

    /** @return the lower-case word users type, also the {@code WeightAverager.kind()} it selects */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param text {@code live}, {@code ema} or {@code swa}, any case
     * @return the choice
     * @throws IllegalArgumentException naming the text and the allowed words
     */
    public static EvalWeights parse(String text) {
        for (EvalWeights w : values()) {
            if (w.word().equalsIgnoreCase(text == null ? "" : text.trim())) return w;
        }
        throw new IllegalArgumentException("eval weights '" + text + "' are not known; allowed: "
                + Arrays.stream(values()).map(EvalWeights::word).collect(Collectors.joining(", ")));
    }
}
