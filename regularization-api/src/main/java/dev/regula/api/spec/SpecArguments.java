package dev.regula.api.spec;

import dev.regula.api.param.ParameterSelector;
import dev.regula.api.schedule.Schedule;
import java.util.Locale;
import java.util.Map;

/**
 * Validated, typed arguments of a spec, with defaults filled in. Obtained from
 * {@link SpecSchema#bind(Spec)}; every getter names the provider and key in its errors.
 */
public final class SpecArguments {
    private final String kind;
    private final String name;
    private final Map<String, SpecKey> keys;
    private final Map<String, SpecValue> values;

    SpecArguments(String kind, String name, Map<String, SpecKey> keys, Map<String, SpecValue> values) {
        this.kind = kind;
        this.name = name;
        this.keys = keys;
        this.values = values;
    }

    /**
     * @param key a number key
     * @return its value
     */
    public double number(String key) {
        SpecValue v = value(key);
        if (v instanceof SpecValue.Num n) return n.value();
        throw bad(key, v, "a number");
    }

    /**
     * @param key an integer key
     * @return its value
     */
    public long integer(String key) {
        double d = number(key);
        if (d != Math.rint(d) || Double.isInfinite(d)) throw bad(key, value(key), "a whole number");
        return (long) d;
    }

    /**
     * @param key a boolean key
     * @return its value
     */
    public boolean bool(String key) {
        SpecValue v = value(key);
        String t = v.text().toLowerCase(Locale.ROOT);
        if (v instanceof SpecValue.Word && (t.equals("true") || t.equals("false"))) return t.equals("true");
        throw bad(key, v, "true or false");
    }

    /**
     * @param key a choice or text key
     * @return its value as text
     */
    public String text(String key) {
        SpecValue v = value(key);
        if (v instanceof SpecValue.Call) throw bad(key, v, "a word");
        return v.text();
    }

    /**
     * @param key a schedule key
     * @return the schedule (constant for a plain number)
     */
    public Schedule schedule(String key) {
        try {
            return Schedule.parse(value(key));
        } catch (SpecException e) {
            throw new SpecException(kind + " '" + name + "': key '" + key + "': " + e.getMessage());
        }
    }

    /**
     * @param key a selector key (conventionally {@code on})
     * @return the selector
     */
    public ParameterSelector selector(String key) {
        try {
            return ParameterSelector.parse(text(key));
        } catch (SpecException e) {
            throw new SpecException(kind + " '" + name + "': key '" + key + "': " + e.getMessage());
        }
    }

    /**
     * @param key a key
     * @return true if the user wrote it or it has a default
     */
    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** @return the canonical spec of these arguments, defaults included */
    public Spec toSpec() {
        return new Spec(name, values);
    }

    void validate(SpecKey key) {
        SpecValue v = values.get(key.key());
        switch (key.type()) {
            case NUMBER -> checkRange(key, number(key.key()), v);
            case INTEGER -> checkRange(key, integer(key.key()), v);
            case BOOLEAN -> bool(key.key());
            case CHOICE -> {
                String t = text(key.key()).toLowerCase(Locale.ROOT);
                if (!key.choices().contains(t)) throw bad(key.key(), v, key.allowed());
            }
            case SCHEDULE -> {
                Schedule s = schedule(key.key());
                for (double x : s.extremes()) checkRange(key, x, v);
            }
            case SELECTOR -> selector(key.key());
            case TEXT -> text(key.key());
        }
    }

    private void checkRange(SpecKey key, double x, SpecValue v) {
        if (!key.inRange(x)) {
            throw new SpecException(kind + " '" + name + "': " + key.key() + "=" + v.text()
                    + " is out of range; allowed: " + key.allowed());
        }
    }

    private SpecValue value(String key) {
        SpecValue v = values.get(key);
        if (v == null) {
            throw new IllegalStateException(kind + " '" + name + "' asked for undeclared key '" + key + "'");
        }
        return v;
    }

    private SpecException bad(String key, SpecValue v, String expected) {
        SpecKey k = keys.get(key);
        String allowed = k != null && k.type() != SpecKey.Type.TEXT ? k.allowed() : expected;
        if (v instanceof SpecValue.Word w && k != null && (k.type() == SpecKey.Type.NUMBER || k.type() == SpecKey.Type.INTEGER)
                && looksLikeANumber(w.text())) { // quoted: "3" is text, and printed without its quotes it would read as valid
            return new SpecException(kind + " '" + name + "': " + key + "=\"" + w.text() + "\" is quoted text, not a number;"
                    + " write it without quotes; allowed: " + allowed);
        }
        return new SpecException(kind + " '" + name + "': " + key + "=" + v.text() + " is not valid; allowed: " + allowed);
    }

    /** @return whether a word reads as a number to the parser: then it was written in quotes (unquoted, it would be a number) */
    static boolean looksLikeANumber(String text) {
        return SpecParser.NUMBER.matcher(text.strip()).matches();
    }

    /**
     * @param value a spec value
     * @return whether it is a number written in quotes ({@code "3"}), text where a number may be
     *     meant, which a message should call quoted rather than invalid
     */
    public static boolean quotedNumber(SpecValue value) {
        return value instanceof SpecValue.Word w && looksLikeANumber(w.text());
    }
}
