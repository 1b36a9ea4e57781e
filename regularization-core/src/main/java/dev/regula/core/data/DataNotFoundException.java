package dev.regula.core.data;

import dev.regula.api.RegulaException;

/**
 * Thrown when a data set's directory or one of its files does not exist. The message names the
 * missing file and says how to install the data set or where to point the loader instead.
 */
public final class DataNotFoundException extends RegulaException {
    /** @param message the missing file and how to get it */
    public DataNotFoundException(String message) {
        super(message);
    }
}
