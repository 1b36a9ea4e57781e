package dev.regula.api.optim;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.schedule.Schedule;
import dev.regula.api.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Updates parameters from their gradients (stage 6 of the pipeline). Regularization is not the
 * optimizer's business: penalties, clipping, decay, proximal steps and projections run in the
 * trainer's pipeline around {@link #step}, the same for every optimizer. An optimizer whose
 * definition includes a regularizer (AdamW's decoupled decay) returns it from
 * {@link #impliedRegularizers()} and the pipeline runs it at its stage.
 */
public interface Optimizer {
    /** @return the provider name, e.g. {@code adam} */
    String name();

    /** @return the canonical spec */
    String spec();

    /** @return the learning-rate schedule η_t */
    Schedule learningRate();

    /**
     * Updates every parameter in place from its gradient, using {@code ctx.learningRate()}.
     *
     * @param parameters the trainable parameters, in a stable order
     * @param ctx the step
     */
    void step(List<Parameter> parameters, StepContext ctx);

    /** @return regularizers that are part of this optimizer's definition */
    default List<ParameterRegularizer> impliedRegularizers() {
        return List.of();
    }

    /** @return the internal state (moments, velocities) keyed by {@code parameterName#slot}, for checkpoints */
    Map<String, Tensor> state();

    /**
     * Restores the state saved by {@link #state()}.
     *
     * @param state the saved tensors; missing keys start from zero
     */
    void loadState(Map<String, Tensor> state);
}
