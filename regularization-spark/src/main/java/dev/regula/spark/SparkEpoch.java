package dev.regula.spark;

/**
 * Metrics of one epoch of Spark training.
 *
 * @param epoch epochs completed (1-based)
 * @param step global steps done (one per global batch)
 * @param trainLoss mean data loss over the epoch's rows, as the workers computed it
 * @param trainAccuracy training accuracy (NaN for real targets)
 * @param validationLoss validation loss on the driver (NaN without validation data)
 * @param validationAccuracy validation accuracy (NaN without validation data or for real targets)
 * @param synchronisations Spark jobs run in the epoch
 * @param seconds wall time of the epoch's training (without validation)
 * @param meanSyncMillis mean wall time of one synchronisation: broadcast, tasks, results, driver update
 * @param meanComputeMillis mean over synchronisations of the slowest worker's task time
 */
public record SparkEpoch(int epoch, long step, double trainLoss, double trainAccuracy, double validationLoss,
                         double validationAccuracy, int synchronisations, double seconds, double meanSyncMillis,
                         double meanComputeMillis) {
}
