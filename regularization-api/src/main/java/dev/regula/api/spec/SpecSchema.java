package dev.regula.api.spec;

import dev.regula.api.internal.Names;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The keys a provider accepts. {@link #bind(Spec)} validates a spec against them (unknown keys,
 * wrong types, out-of-range values) and returns typed {@link SpecArguments} with defaults filled in.
 */
public final class SpecSchema {
    private final String kind;
    private final String name;
    private final Map<String, SpecKey> keys = new LinkedHashMap<>();

    private SpecSchema(String kind, String name, List<SpecKey> keys) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.name = Objects.requireNonNull(name, "name");
        SpecParser.requireDeclarable(kind + " provider name", name);
        for (SpecKey k : keys) {
            if (this.keys.put(k.key(), k) != null) throw new IllegalArgumentException("duplicate key " + k.key());
        }
    }

    /**
     * @param kind what the provider makes ("regularizer", "optimizer", "model"), used in messages
     * @param name the provider name: lower-case letters, digits, '_', '.' and '-', from a letter
     * @param keys the keys accepted
     * @return the schema
     * @throws IllegalArgumentException for a name a spec could not name, or a key twice
     */
    public static SpecSchema of(String kind, String name, SpecKey... keys) {
        return new SpecSchema(kind, name, List.of(keys));
    }

    /** @return the provider name */
    public String name() {
        return name;
    }

    /** @return the keys in declaration order */
    public List<SpecKey> keys() {
        return List.copyOf(keys.values());
    }

    /**
     * Validates a spec and fills in defaults.
     *
     * @param spec a spec whose name is this schema's
     * @return the typed arguments
     * @throws SpecException naming the provider, the key, the problem and what is allowed
     */
    public SpecArguments bind(Spec spec) {
        Map<String, SpecValue> values = new LinkedHashMap<>();
        for (Map.Entry<String, SpecValue> e : spec.arguments().entrySet()) {
            SpecKey key = keys.get(e.getKey());
            if (key == null) {
                String near = Names.nearest(e.getKey(), keys.keySet());
                throw new SpecException(kind + " '" + name + "' has no key '" + e.getKey() + "'; allowed keys: "
                        + (keys.isEmpty() ? "none" : String.join(", ", keys.keySet()))
                        + (near == null ? "" : ". Did you mean '" + near + "'?"));
            }
            values.put(key.key(), e.getValue());
        }
        List<String> missing = new ArrayList<>();
        for (SpecKey key : keys.values()) {
            if (!values.containsKey(key.key())) {
                if (key.defaultValue() == null) {
                    missing.add(key.key() + " (" + key.allowed() + ")");
                } else {
                    values.put(key.key(), Spec.parse("x(v=" + key.defaultValue() + ")").get("v"));
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new SpecException(kind + " '" + name + "' needs " + String.join(", ", missing)
                    + "; e.g. " + example());
        }
        SpecArguments args = new SpecArguments(kind, name, keys, values);
        for (SpecKey key : keys.values()) args.validate(key);
        return args;
    }

    /** @return an example spec using every key's default or a placeholder */
    public String example() {
        StringBuilder sb = new StringBuilder(name).append('(');
        boolean first = true;
        for (SpecKey k : keys.values()) {
            if (!first) sb.append(", ");
            first = false;
            sb.append(k.key()).append('=').append(k.defaultValue() != null ? k.defaultValue() : "<" + k.allowed() + ">");
        }
        return sb.append(')').toString();
    }
}
