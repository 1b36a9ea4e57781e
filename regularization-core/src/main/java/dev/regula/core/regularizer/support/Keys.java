package dev.regula.core.regularizer.support;

import dev.regula.api.spec.SpecKey;
import java.util.List;

/** Spec keys shared by the built-in regularizers, so that names, ranges and wording agree. */
public final class Keys {
    private Keys() {
    }

    /**
     * A strength: a number or schedule with values in {@code [0, +inf)}.
     *
     * @param key the key, e.g. {@code lambda}
     * @param defaultValue the default as text, or null if required
     * @param description what it does
     * @return the key
     */
    public static SpecKey strength(String key, String defaultValue, String description) {
        return new SpecKey(key, SpecKey.Type.SCHEDULE, defaultValue, 0, true, Double.POSITIVE_INFINITY, false,
                List.of(), description);
    }

    /**
     * A finite number in {@code (0, +inf)}.
     *
     * @param key the key, e.g. {@code max}
     * @param defaultValue the default as text, or null if required
     * @param description what it does
     * @return the key
     */
    public static SpecKey positive(String key, String defaultValue, String description) {
        return SpecKey.number(key, defaultValue, 0, false, Double.POSITIVE_INFINITY, false, description);
    }

    /**
     * A finite number in {@code [0, +inf)}.
     *
     * @param key the key, e.g. {@code min}
     * @param defaultValue the default as text, or null if required
     * @param description what it does
     * @return the key
     */
    public static SpecKey nonNegative(String key, String defaultValue, String description) {
        return SpecKey.number(key, defaultValue, 0, true, Double.POSITIVE_INFINITY, false, description);
    }

    /**
     * The {@link Axis} choice.
     *
     * @param key the key, {@code axis} or {@code groups}
     * @param description what it does
     * @return a choice of {@code rows} (the default) or {@code columns}
     */
    public static SpecKey axis(String key, String description) {
        return SpecKey.choice(key, "rows", Axis.CHOICES, description);
    }

    /** @return the conventional {@code on=} key defaulting to {@code weights} (never biases) */
    public static SpecKey onWeights() {
        return SpecKey.selector("weights");
    }
}
