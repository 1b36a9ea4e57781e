package dev.regula.core.regularizer.noise;

import dev.regula.api.spec.SpecKey;
import java.util.List;

/** Spec keys shared by the noise providers. */
final class NoiseKeys {
    private NoiseKeys() {
    }

    /**
     * @param defaultValue the default, or null if required
     * @return the {@code p} key: a drop-probability schedule with values in [0, 1)
     */
    static SpecKey dropProbability(String defaultValue) {
        return new SpecKey("p", SpecKey.Type.SCHEDULE, defaultValue, 0, true, 1, false, List.of(),
                "drop probability (not keep probability), number or schedule");
    }

    /** @return the {@code after} key: {@code hidden} or a glob on layer names */
    static SpecKey after() {
        return SpecKey.text("after", NoiseRegularizer.HIDDEN,
                "where to insert: 'hidden' = after each hidden activation, or a glob on layer names (a*|b)");
    }
}
