package dev.regula.api;

import dev.regula.api.kernels.Kernels;
import java.util.Objects;

/**
 * Everything a layer, regularizer or optimizer may need to know about the current step.
 *
 * <p>An EVAL context is either shared (the default, {@link #eval}): the pass must change no
 * state, so many threads may run it on one model at once and every output is a new tensor; or
 * exclusive ({@link #exclusiveEval}): its caller is the model's only user while the pass runs and
 * consumes each output before its next exclusive pass, as a training loop's validation does, so
 * layers may write their outputs into buffers they own and reuse them (see
 * {@link dev.regula.api.model.Layer}). Exclusive passes over a data set need no new buffers
 * after the first batch of each size, so they neither allocate nor touch fresh heap pages.
 *
 * @param mode train or eval
 * @param step global optimizer step, starting at 0, used by schedules and by the counter-based RNG
 * @param epoch current epoch, starting at 0
 * @param learningRate the optimizer's learning rate for this step (η_t), 0 in eval
 * @param seed the run's seed; randomness is a pure function of (seed, stream, step, index)
 * @param kernels the compute kernels to use
 * @param exclusive true if the caller is the model's only user during the pass; always true in TRAIN and SAMPLE
 */
public record StepContext(Mode mode, long step, int epoch, double learningRate, long seed, Kernels kernels,
        boolean exclusive) {
    /** Checks the components; a TRAIN or SAMPLE context is always exclusive. */
    public StepContext {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(kernels, "kernels");
        if (step < 0) throw new IllegalArgumentException("step must be >= 0, got " + step);
        if (epoch < 0) throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        exclusive |= mode != Mode.EVAL; // TRAIN and SAMPLE write the layers' buffers
    }

    /**
     * A context that is exclusive in TRAIN and SAMPLE mode and shared in EVAL mode.
     *
     * @param mode train, eval or sample
     * @param step global optimizer step, starting at 0
     * @param epoch current epoch, starting at 0
     * @param learningRate the optimizer's learning rate for this step (η_t), 0 in eval
     * @param seed the run's seed
     * @param kernels the compute kernels to use
     */
    public StepContext(Mode mode, long step, int epoch, double learningRate, long seed, Kernels kernels) {
        this(mode, step, epoch, learningRate, seed, kernels, false);
    }

    /**
     * A shared context for evaluation and inference: safe for many threads at once.
     *
     * @param kernels the kernels to compute with
     * @return a shared EVAL context at step 0
     */
    public static StepContext eval(Kernels kernels) {
        return new StepContext(Mode.EVAL, 0, 0, 0, 0, kernels, false);
    }

    /**
     * An exclusive context for evaluation: for a caller that is the model's only user while the
     * pass runs and is done with each output before its next exclusive pass. Layers may return
     * buffers they own (distinct from their TRAIN buffers, so an exclusive evaluation between a
     * TRAIN forward and its backward is harmless).
     *
     * @param kernels the kernels to compute with
     * @return an exclusive EVAL context at step 0
     */
    public static StepContext exclusiveEval(Kernels kernels) {
        return new StepContext(Mode.EVAL, 0, 0, 0, 0, kernels, true);
    }

    /**
     * @param newMode the mode wanted
     * @return this context with another mode; a switch from TRAIN to EVAL gives a shared context,
     *         the same mode keeps this context's exclusivity
     */
    public StepContext withMode(Mode newMode) {
        return new StepContext(newMode, step, epoch, learningRate, seed, kernels, newMode == mode && exclusive);
    }

    /** @return true in training mode */
    public boolean training() {
        return mode == Mode.TRAIN;
    }

    /** @return true where the activation regularizers draw noise: in TRAIN and in SAMPLE mode */
    public boolean noisy() {
        return mode != Mode.EVAL;
    }
}
