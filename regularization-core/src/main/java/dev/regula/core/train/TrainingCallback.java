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
     * After every epoch, validation included.
     *
     * @param trainer the trainer
     * @param metrics the epoch's metrics
     */
    default void onEpochEnd(Trainer trainer, EpochMetrics metrics) {
    }
}
