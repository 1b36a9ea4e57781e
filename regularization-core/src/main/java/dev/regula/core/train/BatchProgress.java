package dev.regula.core.train;

/**
 * Where a running epoch stands after one optimizer step: what a progress bar shows.
 *
 * @param epoch the epoch being run, from 1
 * @param step the global step just completed (from 1)
 * @param batchLoss the data loss of this batch
 * @param meanLoss the mean data loss over the epoch's batches so far
 * @param accuracy the fraction correct over the epoch's batches so far (with regularization noise
 *                 active), NaN for non-classification losses
 * @param examples training examples seen in this epoch so far
 * @param batchesDone batches done in this epoch
 * @param batchesPerEpoch batches per epoch
 * @param seconds wall time since the epoch started
 */
public record BatchProgress(int epoch, long step, double batchLoss, double meanLoss, double accuracy, long examples,
                            int batchesDone, int batchesPerEpoch, double seconds) {
    /** @return training examples per second so far in this epoch (0 before any time has passed) */
    public double examplesPerSecond() {
        return seconds > 0 ? examples / seconds : 0;
    }
}
