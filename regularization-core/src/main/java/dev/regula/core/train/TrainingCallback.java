package dev.regula.core.train;

import java.util.List;

/**
 * Receives training events, in this order for a {@link Trainer#fit}:
 * {@code onTrainBegin}, then per epoch {@code onEpochBegin}, per batch {@code onBatchBegin} and
 * {@code onBatchEnd}, then {@code onValidationEnd} (only with validation data), {@code onEpochEnd};
 * finally {@code onTrainEnd}, however the fit ends: normally, by an early stop, or by an
 * exception ({@link TrainingContext#failure()} then holds it, and the fit throws it after the end
 * hooks). Callbacks run in the order they were added to the configuration; {@code onTrainEnd} is
 * called for each callback whose {@code onTrainBegin} was called (also when that hook threw), so
 * a callback that opens a file in {@code onTrainBegin} closes it in {@code onTrainEnd}.
 *
 * <p>Called on the training thread, between steps; a callback must not change the model's
 * parameters. It sees the run through a {@link TrainingContext} (stop request, learning-rate
 * factor, checkpoints). The older hooks that receive the {@link Trainer} still work: the
 * context hooks forward to them by default.
 */
public interface TrainingCallback {
    /**
     * Before the first epoch of a fit.
     *
     * @param ctx the run
     */
    default void onTrainBegin(TrainingContext ctx) {
    }

    /**
     * Before an epoch.
     *
     * @param ctx the run
     * @param epoch the epoch about to run, from 1
     */
    default void onEpochBegin(TrainingContext ctx, int epoch) {
    }

    /**
     * Before a batch's step.
     *
     * @param ctx the run
     * @param epoch the epoch, from 1
     * @param batch the batch within the epoch, from 0
     */
    default void onBatchBegin(TrainingContext ctx, int epoch, int batch) {
    }

    /**
     * After every applied optimizer step, with the epoch's running figures. The default forwards
     * to {@link #onBatchEnd(Trainer, BatchProgress)}.
     *
     * @param ctx the run
     * @param progress where the epoch stands
     */
    default void onBatchEnd(TrainingContext ctx, BatchProgress progress) {
        onBatchEnd(ctx.trainer(), progress);
    }

    /**
     * After the validation at the end of an epoch (not called without validation data).
     *
     * @param ctx the run
     * @param epoch the epoch just run, from 1
     * @param result validation loss and accuracy
     */
    default void onValidationEnd(TrainingContext ctx, int epoch, Trainer.Evaluation result) {
    }

    /**
     * After every epoch, validation included. The default forwards to {@link #onEpochEnd(Trainer, EpochMetrics)}.
     *
     * @param ctx the run
     * @param metrics the epoch's metrics
     */
    default void onEpochEnd(TrainingContext ctx, EpochMetrics metrics) {
        onEpochEnd(ctx.trainer(), metrics);
    }

    /**
     * When the fit ends, however it ends (the {@code finally} of the fit). After a failure,
     * {@link TrainingContext#failure()} holds it; an exception thrown here is then added to it as
     * suppressed, so the failure is what the fit throws. The other callbacks' end hooks run either way.
     *
     * @param ctx the run
     * @param history the metrics of the epochs this fit completed (a failed epoch is not in it)
     */
    default void onTrainEnd(TrainingContext ctx, List<EpochMetrics> history) {
    }

    /**
     * After every optimizer step (older hook).
     *
     * @param trainer the trainer
     * @param step the global step just completed (from 1)
     * @param batchLoss the data loss of the batch
     * @param batchesDone batches done in this epoch
     * @param batchesPerEpoch batches per epoch
     */
    default void onBatchEnd(Trainer trainer, long step, double batchLoss, int batchesDone, int batchesPerEpoch) {
    }

    /**
     * After every optimizer step, with the epoch's running figures (older hook). The default
     * forwards to {@link #onBatchEnd(Trainer, long, double, int, int)}.
     *
     * @param trainer the trainer
     * @param progress where the epoch stands
     */
    default void onBatchEnd(Trainer trainer, BatchProgress progress) {
        onBatchEnd(trainer, progress.step(), progress.batchLoss(), progress.batchesDone(), progress.batchesPerEpoch());
    }

    /**
     * After every epoch, validation included (older hook).
     *
     * @param trainer the trainer
     * @param metrics the epoch's metrics
     */
    default void onEpochEnd(Trainer trainer, EpochMetrics metrics) {
    }
}
