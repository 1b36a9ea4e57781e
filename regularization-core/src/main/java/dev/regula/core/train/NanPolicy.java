package dev.regula.core.train;

/** What the trainer does when the loss or a gradient is NaN or Inf. */
public enum NanPolicy {
    /** Throw a {@link dev.regula.api.NumericalFaultException} naming the step, stage and parameter. */
    STOP,
    /**
     * Skip the step: no parameter changes, the fault is counted in the epoch metrics. A fault
     * produced by the update itself (in the parameters) still stops, since it cannot be undone.
     */
    SKIP_STEP
}
