package dev.regula.api;

import dev.regula.api.kernels.Kernels;
import java.util.Objects;

/**
 * Everything a layer, regularizer or optimizer may need to know about the current step.
 *
 * @param mode train or eval
 * @param step global optimizer step, starting at 0, used by schedules and by the counter-based RNG
 * @param epoch current epoch, starting at 0
 * @param learningRate the optimizer's learning rate for this step (η_t), 0 in eval
 * @param seed the run's seed; randomness is a pure function of (seed, stream, step, index)
 * @param kernels the compute kernels to use
 */
public record StepContext(Mode mode, long step, int epoch, double learningRate, long seed, Kernels kernels) {
    /** Checks the components. */
    public StepContext {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(kernels, "kernels");
        if (step < 0) throw new IllegalArgumentException("step must be >= 0, got " + step);
        if (epoch < 0) throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
    }

    /**
     * A context for evaluation and inference.
     *
     * @param kernels the kernels to compute with
     * @return an EVAL context at step 0
     */
    public static StepContext eval(Kernels kernels) {
        return new StepContext(Mode.EVAL, 0, 0, 0, 0, kernels);
    }

    /**
     * @param newMode the mode wanted
     * @return this context with another mode
     */
    public StepContext withMode(Mode newMode) {
        return new StepContext(newMode, step, epoch, learningRate, seed, kernels);
    }

    /** @return true in training mode */
    public boolean training() {
        return mode == Mode.TRAIN;
    }
}
