package dev.regula.core.regularizer.soft;

/** Checks of a learnable regularizer's own optimizer state as a checkpoint hands it back. */
final class OwnState {
    private OwnState() {
    }

    /**
     * @param regularizer the regularizer's name, for messages
     * @param key the state's key
     * @param values the saved values: one whole number ≥ 0
     * @return the count
     * @throws IllegalArgumentException naming the key if it is not one whole number in [0, 2⁵³]
     */
    static long count(String regularizer, String key, double[] values) {
        if (values == null || values.length != 1 || !(values[0] >= 0) || values[0] > 0x1p53 || values[0] != Math.rint(values[0])) {
            throw new IllegalArgumentException(regularizer + ": optimizer state '" + key + "' must be one whole number in [0, 2^53], got "
                    + (values == null ? "nothing" : java.util.Arrays.toString(values)));
        }
        return (long) values[0];
    }

    /**
     * @param regularizer the regularizer's name, for messages
     * @param key the state's key
     * @param values the saved values
     * @param length how many there must be
     * @param nonNegative whether each must be ≥ 0 (a second moment)
     * @throws IllegalArgumentException naming the key if the length differs or a value is not finite (or negative)
     */
    static void check(String regularizer, String key, double[] values, int length, boolean nonNegative) {
        if (values == null || values.length != length) {
            throw new IllegalArgumentException(regularizer + ": optimizer state '" + key + "' must hold " + length + " numbers, got "
                    + (values == null ? 0 : values.length));
        }
        for (double v : values) {
            if (!Double.isFinite(v) || (nonNegative && v < 0)) {
                throw new IllegalArgumentException(regularizer + ": optimizer state '" + key + "' has the value " + v
                        + ", expected a finite number" + (nonNegative ? " >= 0" : ""));
            }
        }
    }
}
