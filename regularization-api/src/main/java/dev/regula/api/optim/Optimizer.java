package dev.regula.api.optim;

import dev.regula.api.StepContext;
import dev.regula.api.kernels.Kernels;
import dev.regula.api.param.Parameter;
import dev.regula.api.regularizer.CoupledDecay;
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
     * Updates every parameter in place from its gradient, using {@code ctx.learningRate()}:
     * θ ← θ − η·u with the direction u computed from the gradient and this optimizer's state, not
     * from θ. The pipeline relies on that: it applies decoupled decay ({@code DECOUPLED} stage) just
     * before this call, so the step is θ_{t−1} − η·u − η·λ·θ_{t−1} exactly. An optimizer whose update
     * reads θ (trust-ratio methods) would see the decayed values.
     *
     * @param parameters the trainable parameters, in a stable order
     * @param ctx the step
     */
    void step(List<Parameter> parameters, StepContext ctx);

    /**
     * {@link #step} with coupled weight decay folded in, and a check of the result: for each
     * parameter i, g_i ← g_i + decay[i]·θ_i (written back, as {@link Kernels#axpy} would; nothing
     * when decay[i] = 0), then the update of {@link #step}, then whether every updated value is
     * finite. The default makes those passes one after the other; an optimizer may fuse them
     * (SGD does, in {@link Kernels#sgdMomentumWithDecay}), with the same results. The pipeline
     * calls this instead of {@link #step} when its only GRADIENT-stage regularizers are
     * {@link CoupledDecay} ones and no clipper or learnable regularizer comes in between.
     *
     * @param parameters the trainable parameters, in a stable order
     * @param decay the coefficient of each parameter, in the same order
     * @param ctx the step
     * @return true if every updated parameter value is finite
     */
    default boolean stepWithDecay(List<Parameter> parameters, float[] decay, StepContext ctx) {
        if (decay.length != parameters.size()) {
            throw new IllegalArgumentException("stepWithDecay needs one decay coefficient per parameter: "
                    + parameters.size() + " parameters, " + decay.length + " coefficients");
        }
        Kernels k = ctx.kernels();
        for (int i = 0; i < decay.length; i++) {
            Parameter p = parameters.get(i);
            if (decay[i] != 0f) k.axpy(p.size(), decay[i], p.value().data(), 0, p.grad().data(), 0);
        }
        step(parameters, ctx);
        for (Parameter p : parameters) {
            if (!k.allFinite(p.size(), p.value().data(), 0)) return false;
        }
        return true;
    }

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
     * @throws IllegalArgumentException if the state is not one this optimizer keeps (then nothing changed)
     */
    void loadState(Map<String, Tensor> state);

    /**
     * Checks, changing nothing, that {@link #loadState} would take this state: a checkpoint's
     * restore calls it before it changes any part of the run, so that a checkpoint of another
     * optimizer is refused with the run as it was. The default accepts any state.
     *
     * @param state the saved tensors
     * @throws IllegalArgumentException as {@link #loadState} would (a key this optimizer does not keep)
     * @throws dev.regula.api.ShapeMismatchException as {@link #loadState} would (a slot of the wrong shape)
     */
    default void checkState(Map<String, Tensor> state) {
    }
}
