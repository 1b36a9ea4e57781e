package dev.regula.examples.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One setting of {@code regula compare}: an optional label and zero or more regularizer specs.
 *
 * <p>Text form: {@code [LABEL:] SPEC [; SPEC]...}, e.g. {@code l2(lambda=1e-4); dropout(p=0.2)} or
 * {@code wd: weight-decay(lambda=5e-4)}. {@code ;} separates specs (the spec grammar never uses it
 * outside quotes); a label is the text before a {@code :} that comes before any {@code (}
 * (selectors such as {@code on=layer:dense*} sit inside parentheses, so they are not labels).
 * {@code none} or an empty text means no regularizer. Without a label, the specs joined by
 * {@code " + "} are the label.
 *
 * @param label the name shown in reports and legends
 * @param specs the regularizer specs, possibly none
 */
record Setting(String label, List<String> specs) {
    Setting {
        specs = List.copyOf(specs);
        if (label.isBlank()) throw new IllegalArgumentException("a compare setting needs a non-blank label");
    }

    /** The settings compared when none is given. */
    static final List<String> DEFAULTS = List.of("none", "l2(lambda=1e-4)", "dropout(p=0.2)",
            "l2(lambda=1e-4); dropout(p=0.2)", "l1-proximal(lambda=1e-3)");

    /**
     * @param text {@code [LABEL:] SPEC [; SPEC]...}
     * @return the setting
     * @throws IllegalArgumentException if a quote or parenthesis is not closed
     */
    static Setting parse(String text) {
        String rest = text.strip();
        String label = null;
        int colon = rest.indexOf(':');
        int paren = rest.indexOf('(');
        if (colon >= 0 && (paren < 0 || colon < paren)) {
            label = rest.substring(0, colon).strip();
            rest = rest.substring(colon + 1).strip();
            if (label.isEmpty()) throw new IllegalArgumentException("--setting '" + text + "': empty label before ':'; write LABEL: SPEC; SPEC");
        }
        List<String> specs = new ArrayList<>();
        for (String part : split(rest, text)) {
            String p = part.strip();
            if (p.isEmpty() || p.toLowerCase(Locale.ROOT).equals("none")) continue;
            specs.add(p);
        }
        if (label == null) label = specs.isEmpty() ? "none" : String.join(" + ", specs);
        return new Setting(label, specs);
    }

    /** Splits at {@code ;} outside quotes and parentheses. */
    private static List<String> split(String s, String whole) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') i++;
                else if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ';' && depth == 0) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        if (quote != 0 || depth != 0) {
            throw new IllegalArgumentException("--setting '" + whole + "': unclosed " + (quote != 0 ? "quote" : "parenthesis")
                    + "; write SPEC; SPEC, e.g. l2(lambda=1e-4); dropout(p=0.2)");
        }
        parts.add(s.substring(start));
        return parts;
    }

    /** @return a folder name made of the label: lower case, [a-z0-9.-] only */
    String slug() {
        String s = label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]+", "-").replaceAll("^-+|-+$", "");
        return s.isEmpty() ? "setting" : s.length() > 60 ? s.substring(0, 60) : s;
    }
}
