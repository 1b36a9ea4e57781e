package dev.regula.api.regularizer;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import java.util.List;
import java.util.Map;

/**
 * A parameter regularizer with parameters of its own that are learned with the model, such as
 * the mixture prior of soft weight sharing or a learnable anchor.
 *
 * <p>During {@link #apply} at the GRADIENT stage it adds the penalty's gradient to the model
 * parameter and accumulates the gradient of its own parameters; after all parameters were visited,
 * the trainer calls {@link #updateOwnParameters(StepContext)} once per step, which updates them
 * with the regularizer's own rates and zeroes their gradients. Its parameters are saved in checkpoints.
 */
public interface LearnableRegularizer extends ParameterRegularizer {
    /** @return the regularizer's own parameters (names unique, prefixed by the regularizer name) */
    List<Parameter> ownParameters();

    /**
     * Updates the own parameters from their accumulated gradients and zeroes the gradients.
     *
     * @param ctx the step
     */
    void updateOwnParameters(StepContext ctx);

    /**
     * The state of the regularizer's own optimizer that a checkpoint must carry besides
     * {@link #ownParameters()} so that a resumed run continues exactly (Adam moments and step
     * count, say), as vectors of doubles, which checkpoints store exactly (safetensors {@code F64}).
     * A count is a one-element vector (exact up to 2⁵³). Keys are plain names without '/'. Empty
     * by default: plain SGD has no such state.
     *
     * @return key → values, independent copies
     */
    default Map<String, double[]> ownOptimizerState() {
        return Map.of();
    }

    /**
     * Checks, changing nothing, that {@link #restoreOwnOptimizerState} would accept this state: a
     * resume calls it for every regularizer before it changes anything of the run, so that a
     * checkpoint refused for one of them leaves the whole run as it was. The default checks
     * nothing (and {@link #restoreOwnOptimizerState} still checks what it restores); a regularizer
     * that keeps a state should throw here whatever its restore would throw.
     *
     * @param state key → values as saved; empty means the run starts afresh
     * @throws IllegalArgumentException as {@link #restoreOwnOptimizerState} would
     */
    default void checkOwnOptimizerState(Map<String, double[]> state) {
    }

    /**
     * Restores what {@link #ownOptimizerState()} returned, before training resumes.
     *
     * @param state key → values as saved; empty means the run starts afresh
     * @throws IllegalArgumentException naming the key if one is unknown or missing, or its values
     *     are of the wrong length or out of range
     */
    default void restoreOwnOptimizerState(Map<String, double[]> state) {
        if (!state.isEmpty()) {
            throw new IllegalArgumentException(name() + " keeps no optimizer state, but the checkpoint has " + state.keySet());
        }
    }
}
