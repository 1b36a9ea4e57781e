package dev.regula.api.spec;

import java.util.List;
import java.util.Objects;

/**
 * One key a provider accepts: its type, default, allowed range and meaning. Providers publish
 * their keys through a {@link SpecSchema}, which {@code regula list} prints and which validates
 * every spec before the provider sees it.
 *
 * @param key the key, lower case
 * @param type the kind of value
 * @param defaultValue the default as spec text, or null if the key is required
 * @param min smallest allowed number (NUMBER, INTEGER, SCHEDULE)
 * @param minInclusive whether {@code min} itself is allowed
 * @param max largest allowed number
 * @param maxInclusive whether {@code max} itself is allowed
 * @param choices allowed words for CHOICE
 * @param description one line saying what the key does
 */
public record SpecKey(String key, Type type, String defaultValue, double min, boolean minInclusive,
                      double max, boolean maxInclusive, List<String> choices, String description) {
    /** Value kinds. */
    public enum Type {
        /** A real number in [min, max]. */
        NUMBER,
        /** A whole number in [min, max]. */
        INTEGER,
        /** true or false. */
        BOOLEAN,
        /** One of {@link SpecKey#choices()}. */
        CHOICE,
        /** A number or a schedule call such as {@code linear(from=0, to=1e-4, steps=1000)}; values in [min, max]. */
        SCHEDULE,
        /** A {@link dev.regula.api.param.ParameterSelector} text. */
        SELECTOR,
        /** Free text. */
        TEXT
    }

    /** Checks the components: the key must be one a spec can write (lower case, see {@link Spec}). */
    public SpecKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        SpecParser.requireDeclarable("key", key);
        choices = List.copyOf(choices);
        description = description == null ? "" : description;
    }

    /**
     * A number key with an inclusive range.
     *
     * @param key the key
     * @param defaultValue default as text, or null if required
     * @param min smallest allowed (inclusive)
     * @param max largest allowed (inclusive)
     * @param description what it does
     * @return the key
     */
    public static SpecKey number(String key, String defaultValue, double min, double max, String description) {
        return new SpecKey(key, Type.NUMBER, defaultValue, min, true, max, true, List.of(), description);
    }

    /**
     * A number key whose bounds may be exclusive, such as dropout's p in [0, 1).
     *
     * @param key the key
     * @param defaultValue default as text, or null if required
     * @param min lower bound
     * @param minInclusive whether min is allowed
     * @param max upper bound
     * @param maxInclusive whether max is allowed
     * @param description what it does
     * @return the key
     */
    public static SpecKey number(String key, String defaultValue, double min, boolean minInclusive,
                                 double max, boolean maxInclusive, String description) {
        return new SpecKey(key, Type.NUMBER, defaultValue, min, minInclusive, max, maxInclusive, List.of(), description);
    }

    /**
     * @param key the key
     * @param defaultValue default as text, or null if required
     * @param min smallest allowed
     * @param max largest allowed
     * @param description what it does
     * @return an integer key
     */
    public static SpecKey integer(String key, String defaultValue, long min, long max, String description) {
        return new SpecKey(key, Type.INTEGER, defaultValue, min, true, max, true, List.of(), description);
    }

    /**
     * @param key the key
     * @param defaultValue default as text, or null if required
     * @param min smallest value the schedule may take (inclusive)
     * @param max largest value (inclusive)
     * @param description what it does
     * @return a schedule key (a number or a schedule call)
     */
    public static SpecKey schedule(String key, String defaultValue, double min, double max, String description) {
        return new SpecKey(key, Type.SCHEDULE, defaultValue, min, true, max, true, List.of(), description);
    }

    /**
     * @param key the key
     * @param defaultValue true or false
     * @param description what it does
     * @return a boolean key
     */
    public static SpecKey bool(String key, boolean defaultValue, String description) {
        return new SpecKey(key, Type.BOOLEAN, String.valueOf(defaultValue), 0, true, 0, true, List.of(), description);
    }

    /**
     * @param key the key
     * @param defaultValue one of the choices, or null if required
     * @param choices the allowed words
     * @param description what it does
     * @return a choice key
     */
    public static SpecKey choice(String key, String defaultValue, List<String> choices, String description) {
        return new SpecKey(key, Type.CHOICE, defaultValue, 0, true, 0, true, choices, description);
    }

    /**
     * @param defaultValue the default selector text, e.g. {@code weights}
     * @return the conventional {@code on=} selector key
     */
    public static SpecKey selector(String defaultValue) {
        return new SpecKey("on", Type.SELECTOR, defaultValue, 0, true, 0, true, List.of(),
                "which parameters: weights, biases, all, role:R, layer:glob, name:glob (join with |)");
    }

    /**
     * @param key the key
     * @param defaultValue default text, or null if required
     * @param description what it does
     * @return a free-text key
     */
    public static SpecKey text(String key, String defaultValue, String description) {
        return new SpecKey(key, Type.TEXT, defaultValue, 0, true, 0, true, List.of(), description);
    }

    /** @return the allowed values in words, for messages and listings */
    public String allowed() {
        return switch (type) {
            case NUMBER, SCHEDULE, INTEGER -> (minInclusive && !unbounded(min) ? "[" : "(") + fmt(min) + ", " + fmt(max)
                    + (maxInclusive && !unbounded(max) ? "]" : ")")
                    + (type == Type.INTEGER ? " whole numbers" : type == Type.SCHEDULE ? " (number or schedule)" : "");
            case BOOLEAN -> "true or false";
            case CHOICE -> String.join(" | ", choices);
            case SELECTOR -> "a parameter selector";
            case TEXT -> "text";
        };
    }

    /**
     * @param v a number
     * @return true if v is inside the allowed range
     */
    public boolean inRange(double v) {
        if (Double.isNaN(v)) return false;
        boolean lo = minInclusive ? v >= min : v > min;
        boolean hi = maxInclusive ? v <= max : v < max;
        return lo && hi;
    }

    /** The largest double or long stands for "no bound" in a range, and is shown as infinity, not as 1.79E308. */
    private static boolean unbounded(double d) {
        return Double.isInfinite(d) || Math.abs(d) >= Long.MAX_VALUE;
    }

    private static String fmt(double d) {
        if (d == Double.POSITIVE_INFINITY) return "+inf";
        if (d == Double.NEGATIVE_INFINITY) return "-inf";
        if (unbounded(d)) return d > 0 ? "+inf" : "-inf";
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return String.valueOf((long) d);
        return String.valueOf(d);
    }
}
