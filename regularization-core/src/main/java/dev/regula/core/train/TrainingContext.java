package dev.regula.core.train;

import dev.regula.api.model.Model;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link TrainingCallback} sees of the run and may do to it, instead of the whole
 * {@link Trainer}: the position, the model (to read, never to change during a step), the last
 * gradient norm, a stop request, a learning-rate factor, and a checkpoint of the whole run.
 * One context per trainer; used on the training thread only.
 */
public final class TrainingContext {
    private final Trainer trainer;
    private Throwable failure;

    TrainingContext(Trainer trainer) {
        this.trainer = trainer;
    }

    /** Set by the trainer around the {@code onTrainEnd} hooks of a fit that ends by an exception. */
    void setFailure(Throwable failure) {
        this.failure = failure;
    }

    /**
     * Why the fit is ending, seen from {@link TrainingCallback#onTrainEnd}: the exception or error
     * that ends it (a {@link dev.regula.api.NumericalFaultException}, a callback's exception, an
     * {@link OutOfMemoryError}), which the fit throws once the end hooks have run. Empty when the
     * fit ends normally (early stop included) and outside {@code onTrainEnd}.
     *
     * @return the failure, if the fit is ending by one
     */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** The trainer, for the callbacks written against the older hooks that take it. */
    Trainer trainer() {
        return trainer;
    }

    /** @return the model being trained (with activation-regularizer layers inserted) */
    public Model model() {
        return trainer.model();
    }

    /** @return the run's configuration */
    public TrainingConfig config() {
        return trainer.config();
    }

    /** @return optimizer steps done (skipped steps included) */
    public long step() {
        return trainer.step();
    }

    /** @return epochs completed */
    public int epoch() {
        return trainer.epoch();
    }

    /**
     * @return the global gradient norm √Σ‖g‖² right after backward at the last update, before
     *     parameter penalties and clipping ({@link RegularizationPipeline#lastGradientNorm()}); NaN before the first
     */
    public double lastGradientNorm() {
        return trainer.pipeline().lastGradientNorm();
    }

    /** @return the mean of {@link #lastGradientNorm()} over the updates of the current (or just ended) epoch; NaN if none */
    public double epochGradientNorm() {
        return trainer.epochGradientNorm();
    }

    /** @return the factor the learning-rate schedule is multiplied by (1 unless a callback changed it) */
    public double learningRateScale() {
        return trainer.learningRateScale();
    }

    /**
     * Multiplies the learning rate from the next step on (reduce-on-plateau).
     *
     * @param factor in (0, 1] to lower it, or above 1 to raise it; finite
     * @throws IllegalArgumentException if the factor is not finite and positive
     */
    public void scaleLearningRate(double factor) {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("the learning-rate factor must be finite and > 0, got " + factor);
        }
        trainer.setLearningRateScale(trainer.learningRateScale() * factor);
    }

    /**
     * Asks the running fit to stop after the current epoch.
     *
     * @param reason why, reported by {@link Trainer#stopReason()}
     */
    public void requestStop(String reason) {
        trainer.requestStop(reason);
    }

    /**
     * Saves the whole run ({@link TrainingCheckpoint}) so that it can resume bit for bit.
     *
     * @param file the checkpoint; its directory must exist
     * @param settings the run's settings, checked at restore
     * @throws IOException if writing fails
     */
    public void saveCheckpoint(Path file, Map<String, String> settings) throws IOException {
        TrainingCheckpoint.save(file, trainer, settings);
    }
}
