package dev.regula.api.param;

import dev.regula.api.spec.SpecException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Chooses the parameters a regularizer acts on.
 *
 * <p>Text form (the {@code on=} key of a spec), alternatives joined with {@code |}:
 * {@code weights}, {@code biases}, {@code all}, {@code role:NORM_SCALE}, {@code layer:dense*}
 * (glob on the layer name) or {@code name:dense1.weight} (glob on the parameter name).
 */
public interface ParameterSelector {
    /**
     * @param parameter a candidate
     * @return true if the regularizer acts on it
     */
    boolean test(Parameter parameter);

    /** @return the text form, parseable by {@link #parse(String)} */
    String text();

    /** @return parameters with role WEIGHT (the default for decay and penalties) */
    static ParameterSelector weights() {
        return role(ParameterRole.WEIGHT, "weights");
    }

    /** @return parameters with role BIAS */
    static ParameterSelector biases() {
        return role(ParameterRole.BIAS, "biases");
    }

    /** @return every parameter */
    static ParameterSelector all() {
        return new Simple("all", p -> true);
    }

    /**
     * Parses the text form.
     *
     * @param text e.g. {@code weights|layer:out}
     * @return the selector
     * @throws SpecException naming the bad part and the allowed forms
     */
    static ParameterSelector parse(String text) {
        if (text == null || text.isBlank()) {
            throw new SpecException("empty parameter selector; allowed: " + FORMS);
        }
        List<ParameterSelector> parts = new ArrayList<>();
        for (String raw : text.split("\\|", -1)) {
            String part = raw.trim();
            if (part.isEmpty()) throw new SpecException("empty alternative in parameter selector '" + text + "'; allowed: " + FORMS);
            String lower = part.toLowerCase(Locale.ROOT);
            if (lower.equals("weights")) parts.add(weights());
            else if (lower.equals("biases")) parts.add(biases());
            else if (lower.equals("all")) parts.add(all());
            else if (lower.startsWith("role:")) {
                String r = part.substring(5).trim().toUpperCase(Locale.ROOT);
                try {
                    parts.add(role(ParameterRole.valueOf(r), "role:" + r));
                } catch (IllegalArgumentException e) {
                    throw new SpecException("unknown parameter role '" + part.substring(5).trim()
                            + "'; allowed: " + java.util.Arrays.toString(ParameterRole.values()));
                }
            } else if (lower.startsWith("layer:")) {
                Pattern g = glob(part.substring(6).trim());
                parts.add(new Simple(part, p -> g.matcher(p.layer()).matches()));
            } else if (lower.startsWith("name:")) {
                Pattern g = glob(part.substring(5).trim());
                parts.add(new Simple(part, p -> g.matcher(p.name()).matches()));
            } else {
                throw new SpecException("bad parameter selector '" + part + "'; allowed: " + FORMS);
            }
        }
        if (parts.size() == 1) return parts.get(0);
        List<ParameterSelector> copy = List.copyOf(parts);
        return new Simple(text.trim(), p -> copy.stream().anyMatch(s -> s.test(p)));
    }

    /** The forms {@link #parse(String)} accepts, for error messages. */
    String FORMS = "weights, biases, all, role:<WEIGHT|BIAS|NORM_SCALE|EMBEDDING|OTHER>, layer:<glob>, name:<glob>, joined with |";

    private static ParameterSelector role(ParameterRole role, String text) {
        return new Simple(text, p -> p.role() == role);
    }

    private static Pattern glob(String glob) {
        if (glob.isEmpty()) throw new SpecException("empty glob in parameter selector; allowed: " + FORMS);
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }

    /**
     * A selector from a text and a predicate.
     *
     * @param text the text form
     * @param predicate the test
     */
    record Simple(String text, java.util.function.Predicate<Parameter> predicate) implements ParameterSelector {
        @Override
        public boolean test(Parameter parameter) {
            return predicate.test(parameter);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
