package dev.regula.api.spec;

import dev.regula.api.RegulaException;

/**
 * Thrown for a spec that cannot be used: malformed text, an unknown name, an unknown key or a
 * value out of range. The message names the provider, the key, the allowed values and, for
 * unknown names, the known names and the nearest one.
 */
public final class SpecException extends RegulaException {
    /** @param message what was wrong and what is allowed */
    public SpecException(String message) {
        super(message);
    }
}
