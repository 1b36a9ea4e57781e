package dev.regula.api;

/**
 * Thrown when a data set or checkpoint file is truncated, corrupt or of the wrong format.
 * The message names the file and what was found against what was expected.
 */
public final class CorruptDataException extends RegulaException {
    /** @param message the file, what was found and what was expected */
    public CorruptDataException(String message) {
        super(message);
    }

    /**
     * @param message the file, what was found and what was expected
     * @param cause the underlying I/O or parse failure
     */
    public CorruptDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
