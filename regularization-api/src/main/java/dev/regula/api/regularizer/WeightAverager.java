package dev.regula.api.regularizer;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps an average of the model's parameters over training (an exponential moving average, or
 * stochastic weight averaging). It changes nothing in training: the trainer calls
 * {@link #update} once per optimizer step, after the last stage of the pipeline (CONSTRAINT), and
 * may evaluate the model with the averaged values instead of the live ones.
 *
 * <p>It averages every trainable parameter of the model. Its state (the averages and the number
 * of updates folded in) belongs in checkpoints: {@link #state()} and {@link #restoreState}.
 */
public non-sealed interface WeightAverager extends Regularizer {
    /** @return the kind of average, the word a user names for evaluation: {@code ema} or {@code swa} */
    String kind();

    /**
     * Folds the parameters' current values into the average, if this step is one to average.
     *
     * @param parameters every trainable parameter of the model, the same list at every call
     * @param ctx the step just taken
     */
    void update(List<Parameter> parameters, StepContext ctx);

    /**
     * @param p a parameter of the model
     * @return its average, or empty if no average has been taken yet (or p is not averaged)
     */
    Optional<Tensor> average(Parameter p);

    /** @return how many updates were folded into the average so far (0: none) */
    long count();

    /** @return parameter name → a copy of its average; empty before the first update */
    Map<String, Tensor> state();

    /**
     * Restores what {@link #state()} and {@link #count()} returned, before training resumes.
     *
     * @param averages parameter name → average
     * @param count the number of updates folded in
     * @throws IllegalArgumentException if the state does not fit (count &lt; 0, averages without a count)
     */
    void restoreState(Map<String, Tensor> averages, long count);
}
