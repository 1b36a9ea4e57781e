package dev.regula.core.regularizer.soft;

import dev.regula.api.spec.SpecKey;
import java.util.List;

/** Spec keys shared by the soft providers, with ranges open at +inf so messages read "[0, +inf)". */
final class SoftKeys {
    private SoftKeys() {
    }

    /**
     * @param key the key
     * @param defaultValue the default, or null if required
     * @param description what it does
     * @return a schedule key with values in [0, +inf)
     */
    static SpecKey strength(String key, String defaultValue, String description) {
        return new SpecKey(key, SpecKey.Type.SCHEDULE, defaultValue, 0, true, Double.POSITIVE_INFINITY, false, List.of(), description);
    }

    /**
     * @param key the key
     * @param defaultValue the default
     * @param description what it does
     * @return a number key with values in [0, +inf)
     */
    static SpecKey nonNegative(String key, String defaultValue, String description) {
        return SpecKey.number(key, defaultValue, 0, true, Double.POSITIVE_INFINITY, false, description);
    }
}
