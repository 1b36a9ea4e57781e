package dev.regula.api;

/**
 * Base of every exception Regula throws on purpose. Messages say what was wrong and what is
 * allowed, so that a user can act on them without reading the source.
 */
public class RegulaException extends RuntimeException {
    /** @param message what was wrong and what is allowed */
    public RegulaException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong and what is allowed
     * @param cause the underlying failure
     */
    public RegulaException(String message, Throwable cause) {
        super(message, cause);
    }
}
