package dev.regula.api.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A parsed specification: a provider name with keyword arguments, as a user types it.
 * The same syntax names regularizers ({@code l2(lambda=1e-4)}, {@code dropout(p=0.2)}),
 * optimizers ({@code sgd(lr=0.05, momentum=0.9)}), models and schedules.
 *
 * <pre>
 * spec  := name [ '(' [ key '=' value { ',' key '=' value } ] ')' ]
 * value := number | word | 'quoted text' | "quoted text" | spec
 * </pre>
 * Names and keys are case-insensitive and kept in lower case. A word may contain any character
 * except whitespace, commas, parentheses, '=' and quotes, so selectors such as
 * {@code weights|layer:dense*} need no quotes.
 *
 * @param name the provider name, lower case
 * @param arguments the arguments in the order written
 */
public record Spec(String name, Map<String, SpecValue> arguments) {
    /** Copies the arguments into an unmodifiable ordered map. */
    public Spec {
        Objects.requireNonNull(name, "name");
        arguments = Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
    }

    /**
     * Parses spec text.
     *
     * @param text e.g. {@code elastic-net(l1=1e-5, l2=1e-4, on=weights)}
     * @return the spec
     * @throws SpecException with the position and what was expected, for malformed text
     */
    public static Spec parse(String text) {
        return new SpecParser(text).parseWhole();
    }

    /**
     * @param key an argument key
     * @return the value, or null if absent
     */
    public SpecValue get(String key) {
        return arguments.get(key);
    }

    /** @return the canonical text, parseable back to an equal spec */
    @Override
    public String toString() {
        if (arguments.isEmpty()) return name;
        return name + arguments.entrySet().stream()
                .map(e -> e.getKey() + "=" + quoteIfNeeded(e.getValue()))
                .collect(Collectors.joining(", ", "(", ")"));
    }

    private static String quoteIfNeeded(SpecValue v) {
        if (v instanceof SpecValue.Word w && !SpecParser.isPlainWord(w.text())) {
            // the backslash first: it escapes in quoted text, so a text ending in one would
            // otherwise escape the closing quote
            return "'" + w.text().replace("\\", "\\\\").replace("'", "\\'") + "'";
        }
        return v.text();
    }
}
