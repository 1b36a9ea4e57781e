package dev.regula.api.regularizer;

import dev.regula.api.StepContext;
import dev.regula.api.tensor.Tensor;

/**
 * A penalty on the model's output, added to the data loss in training (the confidence penalty,
 * say). The trainer calls {@link #apply} once per training step, after the data loss has written
 * its gradient into {@code gradOutput} and before backward; the regularizer adds ∂R/∂output to
 * that gradient and returns R. It never runs in evaluation, whose loss is the data loss alone.
 */
public interface OutputRegularizer extends Regularizer {
    /**
     * @param output the model output of this training step (logits for classifiers), not modified
     * @param gradOutput ∂L_data/∂output, same shape; ∂R/∂output is added to it
     * @param ctx the step (TRAIN)
     * @return R(output), the penalty added to the objective, reported separately from the data loss
     * @throws dev.regula.api.ShapeMismatchException if the output has a shape the penalty is not defined for
     */
    double apply(Tensor output, Tensor gradOutput, StepContext ctx);
}
