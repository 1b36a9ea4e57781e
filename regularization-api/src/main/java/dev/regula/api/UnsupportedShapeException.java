package dev.regula.api;

/**
 * Thrown by a component (a regularizer, layer or loss) that cannot work on the shapes of this
 * model or data at all: drop-block on a dense model, an image augmentation on rows of a table.
 * Unlike {@link ShapeMismatchException}, which reports data or a checkpoint of the wrong shape,
 * this says the choice of component is wrong; the command line reports it as a usage error.
 */
public final class UnsupportedShapeException extends RegulaException {
    /** @param message what the component needs, and the shape it got */
    public UnsupportedShapeException(String message) {
        super(message);
    }
}
