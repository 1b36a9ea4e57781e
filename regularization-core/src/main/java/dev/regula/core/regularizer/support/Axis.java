package dev.regula.core.regularizer.support;

import java.util.List;
import java.util.Locale;

/**
 * Which slices of a parameter a row-wise regularizer acts on, in the parameter's
 * {@link GroupView two-dimensional view} {@code [dim0, rest]}.
 */
public enum Axis {
    /**
     * Slices along dimension 0: for a PyTorch-style weight {@code [out, in]} (or a convolution
     * kernel {@code [out, in, kh, kw]}) one slice holds the incoming weights of one output unit.
     */
    ROWS,
    /** Slices across dimension 0: for a weight {@code [out, in]}, the outgoing weights of one input. */
    COLUMNS;

    /** The words accepted in specs, in order. */
    public static final List<String> CHOICES = List.of("rows", "columns");

    /**
     * @param word {@code rows} or {@code columns} (case-insensitive)
     * @return the axis
     * @throws IllegalArgumentException for any other word, naming the allowed ones
     */
    public static Axis parse(String word) {
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "rows" -> ROWS;
            case "columns" -> COLUMNS;
            default -> throw new IllegalArgumentException("unknown axis '" + word + "'; allowed: " + CHOICES);
        };
    }

    /** @return the spec word, {@code rows} or {@code columns} */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
