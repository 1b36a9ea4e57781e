package dev.regula.core.regularizer.batch;

import dev.regula.api.spec.SpecKey;
import java.util.List;

/** Spec keys shared by the batch providers. */
final class BatchProviders {
    private BatchProviders() {
    }

    /**
     * @param defaultValue the default α
     * @return the {@code alpha} key of Beta(α, α), in (0, +inf)
     */
    static SpecKey alpha(String defaultValue) {
        return SpecKey.number("alpha", defaultValue, 0, false, Double.POSITIVE_INFINITY, false,
                "lambda ~ Beta(alpha, alpha) per batch; small alpha = mostly one example, 1 = uniform");
    }

    /**
     * @param defaultValue the default probability
     * @param what what happens to an example with that probability
     * @return the {@code p} key, a probability in [0, 1]
     */
    static SpecKey probability(String defaultValue, String what) {
        return SpecKey.number("p", defaultValue, 0, 1, "probability that an example is " + what);
    }

    /** @return the {@code value} key: the fill value in input units */
    static SpecKey value() {
        return SpecKey.number("value", "0", Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, false,
                "value written into the erased pixels, in (standardised) input units: 0 = the mean");
    }

    /** @return the {@code fill} key of flip-shift */
    static SpecKey fill() {
        return SpecKey.choice("fill", "min", List.of("min", "zero"),
                "pixels shifted in: min = the example's smallest value (background), zero = 0");
    }
}
