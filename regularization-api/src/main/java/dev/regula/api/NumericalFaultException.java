package dev.regula.api;

/**
 * Thrown when NaN or Inf appears during training. The message names the step, the pipeline
 * stage and the parameter (or the loss) where it was first seen.
 */
public final class NumericalFaultException extends RegulaException {
    private final long step;
    private final String where;

    /**
     * @param step the training step at which the fault was detected
     * @param where the stage and the parameter or quantity, e.g. {@code "backward: dense1.weight.grad"}
     * @param message a full explanation
     */
    public NumericalFaultException(long step, String where, String message) {
        super(message);
        this.step = step;
        this.where = where;
    }

    /** @return the training step at which the fault was detected */
    public long step() {
        return step;
    }

    /** @return the stage and quantity where the fault was found */
    public String where() {
        return where;
    }
}
