package dev.regula.gan.eval;

import java.util.IllegalFormatException;
import java.util.Locale;

/**
 * The mean and sample standard deviation of n repeated measurements (e.g. a score over seeds),
 * for reporting as {@code 0.853 ± 0.012}.
 *
 * @param mean the arithmetic mean; finite
 * @param sd the sample standard deviation (divisor n − 1); finite, ≥ 0, and 0 when n = 1
 * @param n the number of values; ≥ 1
 */
public record MeanSd(double mean, double sd, int n) {
    /** @throws IllegalArgumentException if a component breaks the contract above */
    public MeanSd {
        if (n < 1) throw new IllegalArgumentException("n must be at least 1, got " + n);
        if (!Double.isFinite(mean)) throw new IllegalArgumentException("mean must be finite, got " + mean);
        if (!(sd >= 0) || sd == Double.POSITIVE_INFINITY) throw new IllegalArgumentException("sd must be finite and ≥ 0, got " + sd);
        if (n == 1 && sd != 0) throw new IllegalArgumentException("sd must be 0 for a single value, got " + sd);
    }

    /**
     * @param values the measurements; at least one, all finite
     * @return their mean and sample standard deviation (two-pass, so large offsets cost no
     *     precision); sd = 0 for a single value
     * @throws IllegalArgumentException if {@code values} is null or empty or a value is NaN or
     *     infinite
     */
    public static MeanSd of(double... values) {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException("mean and sd need at least one value, got " + (values == null ? "null" : "none"));
        }
        int n = values.length;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double v = values[i];
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("value " + i + " of " + n + " is " + v + "; only finite values are allowed");
            }
            sum += v;
        }
        double mean = sum / n;
        if (n == 1) return new MeanSd(mean, 0, 1);
        double squares = 0;
        double drift = 0;
        for (double v : values) {
            double c = v - mean;
            squares += c * c;
            drift += c;
        }
        // corrected two-pass: removes the rounding error left in the mean
        double variance = Math.max(0, (squares - drift * drift / n) / (n - 1));
        return new MeanSd(mean, Math.sqrt(variance), n);
    }

    /**
     * @param pattern a {@link java.util.Formatter} pattern for one double, e.g. {@code "%.3f"},
     *     applied to the mean and to the sd with {@link Locale#ROOT} (decimal point '.')
     * @return {@code mean ± sd}, e.g. {@code "0.853 ± 0.012"}
     * @throws IllegalArgumentException if {@code pattern} is null or cannot format a double
     */
    public String format(String pattern) {
        if (pattern == null) throw new IllegalArgumentException("pattern is null; give a format for one double, e.g. \"%.3f\"");
        try {
            return String.format(Locale.ROOT, pattern, mean) + " ± " + String.format(Locale.ROOT, pattern, sd);
        } catch (IllegalFormatException e) {
            throw new IllegalArgumentException("pattern \"" + pattern + "\" cannot format a double (" + e.getMessage()
                    + "); give a format for one double, e.g. \"%.3f\"", e);
        }
    }

    /**
     * @param decimals digits after the decimal point, 0 to 17
     * @return {@code mean ± sd} with that many decimals, e.g. {@code "0.853 ± 0.012"} for 3
     * @throws IllegalArgumentException if {@code decimals} is out of range
     */
    public String format(int decimals) {
        if (decimals < 0 || decimals > 17) throw new IllegalArgumentException("decimals must be in 0..17, got " + decimals);
        return format("%." + decimals + "f");
    }
}
