package dev.regula.api.spec;

/** A value in a spec: a number, a word (identifier, selector, quoted text) or a nested call. */
public sealed interface SpecValue {
    /** @return the text as written (normalised) */
    String text();

    /**
     * A number.
     *
     * @param value the parsed value
     * @param text the text as written
     */
    record Num(double value, String text) implements SpecValue {
        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * A word: an identifier, a selector such as {@code weights|layer:out}, or quoted text.
     *
     * @param text the word without quotes
     */
    record Word(String text) implements SpecValue {
        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * A nested call such as {@code linear(from=0, to=1e-4, steps=1000)}.
     *
     * @param spec the nested spec
     */
    record Call(Spec spec) implements SpecValue {
        @Override
        public String text() {
            // keep "()" on a call without arguments: "p=exp()" printed as "p=exp" would parse
            // back as a word, not a call
            return spec.arguments().isEmpty() ? spec.name() + "()" : spec.toString();
        }

        @Override
        public String toString() {
            return text();
        }
    }
}
