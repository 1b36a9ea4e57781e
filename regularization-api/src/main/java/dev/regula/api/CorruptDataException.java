package dev.regula.api;

import java.io.IOException;

/**
 * Thrown when a data set or checkpoint file is truncated, corrupt or of the wrong format.
 * The message names the file and what was found against what was expected.
 *
 * <p>It is an {@link IOException}, as the JDK's {@code java.util.zip.ZipException} is: the methods
 * that read files declare {@code throws IOException}, and a caller's {@code catch (IOException e)}
 * catches a corrupt file as well as a missing or unreadable one. Catch it before
 * {@code IOException} to tell bad content from a failing file system. It is therefore not a
 * {@link RegulaException} (an unchecked type); where a lambda or stream cannot throw it, Regula
 * wraps it in a {@link java.io.UncheckedIOException} whose cause it is.
 */
public final class CorruptDataException extends IOException {
    private static final long serialVersionUID = 1L;

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
