package dev.regula.core.train;

import java.util.Objects;

/**
 * One parameter's part of a parameter regularizer's penalty: R(θ) for that parameter alone. A
 * parameter penalty is a sum over the parameters its selector picks, so the parts of one
 * regularizer add up to its entry in {@link EpochMetrics#penalties()} (summed in the same order).
 * Only parameter penalties have parts; activity, output and input-gradient penalties depend on
 * the batch, not on one parameter, and are reported as a whole only.
 *
 * @param regularizer the regularizer's spec, the key of its entry in {@link EpochMetrics#penalties()}
 * @param parameter the parameter's name, as in {@link ParameterStats#name()}
 * @param value R(θ) for this parameter, at the end of the epoch
 */
public record ParameterPenalty(String regularizer, String parameter, double value) {
    /** Checks the names. */
    public ParameterPenalty {
        Objects.requireNonNull(regularizer, "regularizer");
        Objects.requireNonNull(parameter, "parameter");
    }
}
