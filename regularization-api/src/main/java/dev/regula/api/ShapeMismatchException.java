package dev.regula.api;

/** Thrown when tensors, parameters or data do not have the shape an operation requires. */
public final class ShapeMismatchException extends RegulaException {
    /** @param message which shapes were seen and which were expected */
    public ShapeMismatchException(String message) {
        super(message);
    }
}
