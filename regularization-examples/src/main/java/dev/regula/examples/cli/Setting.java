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
 * {@code none} means no regularizer; an empty text (or only empty parts) is refused, as
 * {@code regula train --reg ''} is, since it is more likely a mistake than a baseline. Without a label, the specs joined by
 * {@code " + "} are the label. One part may be {@code model=SPEC}: that setting trains this model
 * instead of {@code --model}, so architectures can be compared too (e.g. activation, init or
 * BatchNorm against vanishing gradients); the setting's default label then starts with the model.
 *
 * @param label the name shown in reports and legends
 * @param specs the regularizer specs, possibly none
 * @param model a model spec replacing {@code --model} for this setting, or null
 */
record Setting(String label, List<String> specs, String model) {
    Setting {
        specs = List.copyOf(specs);
        if (label.isBlank()) throw new IllegalArgumentException("a compare setting needs a non-blank label");
        if (model != null && model.isBlank()) throw new IllegalArgumentException("a compare setting's model=... needs a model spec");
    }

    /**
     * A setting on {@code --model}.
     *
     * @param label the name shown in reports and legends
     * @param specs the regularizer specs, possibly none
     */
    Setting(String label, List<String> specs) {
        this(label, specs, null);
    }

    /**
     * @param fallback the {@code --model} spec
     * @return the model spec this setting trains
     */
    String modelOr(String fallback) {
        return model == null ? fallback : model;
    }

    /**
     * A model spec as the parser reads it (spaces, the name's case: {@code MLP (hidden=64)} is
     * {@code mlp(hidden=64)}), so that two texts of one model compare equal.
     *
     * @param model a model spec's text
     * @return its canonical text, or the text stripped if it does not parse
     */
    static String canonicalModel(String model) {
        try {
            return dev.regula.api.spec.Spec.parse(model).toString();
        } catch (RuntimeException notASpec) {
            return model.strip();
        }
    }

    /**
     * @return whether two model specs name one model as a resume compares them: as the parser
     *     reads them, keys in any order, defaults written out or not ({@code mlp(hidden=64,
     *     activation=relu)} is {@code mlp(hidden=64)})
     */
    static boolean sameModel(String a, String b) {
        return dev.regula.core.train.TrainingCheckpoint.sameSetting(canonicalModel(a), canonicalModel(b));
    }

    /** The settings compared when none is given. */
    static final List<String> DEFAULTS = List.of("none", "l2(lambda=1e-4)", "dropout(p=0.2)",
            "l2(lambda=1e-4); dropout(p=0.2)", "l1-proximal(lambda=1e-3)");

    /**
     * @param text {@code [LABEL:] SPEC [; SPEC]...}
     * @return the setting
     * @throws IllegalArgumentException if a quote or parenthesis is not closed, a label is empty, or
     *     the setting has no spec at all (empty text or only empty parts; {@code none} is the baseline)
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
        List<String> parts = split(rest, text);
        if (parts.stream().allMatch(String::isBlank)) {
            throw new IllegalArgumentException("--setting '" + text + "': empty; give regularizer specs, or none for no regularizer");
        }
        List<String> specs = new ArrayList<>();
        String model = null;
        for (String part : parts) {
            String p = part.strip();
            if (p.isEmpty() || p.toLowerCase(Locale.ROOT).equals("none")) continue;
            if (p.toLowerCase(Locale.ROOT).startsWith("model=")) {
                if (model != null) throw new IllegalArgumentException("--setting '" + text + "': two model=... parts; allowed: at most one");
                model = p.substring("model=".length()).strip();
                if (model.isEmpty()) throw new IllegalArgumentException("--setting '" + text + "': model= needs a model spec, e.g. model=mlp(hidden=64)");
                continue;
            }
            specs.add(p);
        }
        if (label == null) {
            String regs = specs.isEmpty() ? "none" : String.join(" + ", specs);
            label = model == null ? regs : specs.isEmpty() ? model : model + " + " + regs;
        }
        return new Setting(label, specs, model);
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
