package dev.regula.api.regularizer;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * A penalty on a model's <em>output</em>, given a condition: R(f(x), c). The prior-guided penalty
 * of the face GAN (c: a few attributes the generated face must show) and soft bounds on a
 * regression model's outputs (a prior on the range of the targets) are output regularizers.
 *
 * <p>The training step calls {@link #apply} once per batch, after the data loss has written
 * ∂L/∂output and before the backward pass, so R's gradient flows through the model with the
 * data loss's: L = L_data + R. What the condition is depends on the trainer: the GAN trainer
 * passes the generator's condition c, the classifier/regression trainer passes the batch's
 * targets. Output regularizers act in {@link dev.regula.api.Mode#TRAIN} only.
 *
 * <p>An output regularizer may hold learnable parameters of its own ({@link #ownParameters()}):
 * {@link #apply} then also writes their gradients, and {@link #updateOwnParameters} (called once per
 * step, after the model's optimizer update) takes its own optimizer step. With λ = 0 at a step,
 * {@code apply} must return 0 without touching the gradient, so that λ = 0 reproduces an
 * unregularized run bit for bit.
 */
public non-sealed interface OutputRegularizer extends Regularizer {
    /**
     * Computes R for the batch and adds ∂R/∂output into {@code gradOutput}.
     *
     * @param output the model's output for the batch, shape [N, ...]
     * @param condition the condition or targets of the batch, shape [N, ...] (what each
     *     implementation expects is part of its contract)
     * @param gradOutput ∂L_data/∂output, same shape as {@code output}; receives + ∂R/∂output
     * @param ctx the step (TRAIN)
     * @return R at this step (0 when the strength is 0)
     * @throws dev.regula.api.ShapeMismatchException if a shape does not fit
     */
    double apply(Tensor output, Tensor condition, Tensor gradOutput, StepContext ctx);

    /** @return the regularizer's own learnable parameters (empty by default), for checkpoints */
    default List<Parameter> ownParameters() {
        return List.of();
    }

    /**
     * Takes one optimizer step on {@link #ownParameters()} from the gradients the last
     * {@link #apply} wrote. Called once per training step; the default does nothing.
     *
     * @param ctx the step
     */
    default void updateOwnParameters(StepContext ctx) {
    }

    /**
     * The state of the regularizer's own optimizer that a checkpoint must carry besides
     * {@link #ownParameters()} for a resumed run to continue exactly, as vectors of doubles (the
     * contract of {@link LearnableRegularizer#ownOptimizerState()}).
     *
     * @return key → values, independent copies; empty by default
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
