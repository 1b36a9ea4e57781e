package dev.regula.core.io;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * JSON text (RFC 8259) for the files Regula writes: checkpoint headers, metric lines, reports.
 * {@link #write} maps {@link Map} (keys by {@link String#valueOf}), {@link List}, {@link String},
 * {@link Number}, {@link Boolean} and {@code null}; non-finite doubles and floats become
 * {@code null}, as JSON has no NaN or infinity; {@link CharSequence}s and enum constants become
 * strings. Anything else is refused rather than written as its {@code toString()} (an array
 * would come out as {@code "[F@1b6d3586"}).
 */
public final class JsonText {
    private JsonText() {
    }

    /**
     * @param value any value of the kinds above
     * @return its JSON text, on one line
     * @throws IllegalArgumentException naming the class of a value of another kind
     */
    public static String write(Object value) {
        StringBuilder b = new StringBuilder();
        append(b, value);
        return b.toString();
    }

    /**
     * @param value any string
     * @return the JSON string literal for it, with quotes; control characters escaped
     */
    public static String quote(String value) {
        StringBuilder b = new StringBuilder(value.length() + 2);
        quote(b, value);
        return b.toString();
    }

    /**
     * @param value a number
     * @return its shortest decimal text ({@link Double#toString}), or {@code null} when not finite
     */
    public static String number(double value) {
        return Double.isFinite(value) ? Double.toString(value) : "null";
    }

    private static void append(StringBuilder b, Object v) {
        switch (v) {
            case null -> b.append("null");
            case Double d -> b.append(number(d));
            case Float f -> b.append(Float.isFinite(f) ? f.toString() : "null");
            case Number n -> b.append(n);
            case Boolean bool -> b.append(bool);
            case Map<?, ?> m -> {
                b.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) b.append(',');
                    first = false;
                    quote(b, String.valueOf(e.getKey()));
                    b.append(':');
                    append(b, e.getValue());
                }
                b.append('}');
            }
            case List<?> l -> {
                b.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) b.append(',');
                    append(b, l.get(i));
                }
                b.append(']');
            }
            case CharSequence text -> quote(b, text.toString());
            case Enum<?> constant -> quote(b, constant.name());
            default -> throw new IllegalArgumentException("JSON text: cannot write a " + v.getClass().getName()
                    + "; allowed: Map, List, String, Number, Boolean, enum constants and null");
        }
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20) b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        b.append('"');
    }
}
