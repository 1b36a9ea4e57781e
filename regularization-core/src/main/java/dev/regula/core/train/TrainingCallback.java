package dev.regula.core.train;

/**
 * Receives training events. Called on the training thread; must not modify the model.
 * Request an early stop through {@link Trainer#requestStop(String)}.
 */
public interface TrainingCallback {
    /**
     * After every optimizer step.
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
     * After every optimizer step, with the epoch's running figures. The trainer calls this method
     * only; the default forwards to {@link #onBatchEnd(Trainer, long, double, int, int)}, so
     * callbacks implement whichever they need.
     *
     * @param trainer the trainer
     * @param progress where the epoch stands
     */
    default void onBatchEnd(Trainer trainer, BatchProgress progress) {
        onBatchEnd(trainer, progress.step(), progress.batchLoss(), progress.batchesDone(), progress.batchesPerEpoch());
    }

    /**
     * After every epoch, validation included.
     *
     * @param trainer the trainer
     * @param metrics the epoch's metrics
     */
    default void onEpochEnd(Trainer trainer, EpochMetrics metrics) {
    }
}
