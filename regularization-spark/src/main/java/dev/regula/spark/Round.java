package dev.regula.spark;

import java.io.Serializable;

/**
 * One synchronisation: which global batches of which epoch the workers process, and from which step.
 *
 * @param epoch the epoch (0-based)
 * @param firstBatch the first global batch of the round
 * @param steps how many global batches (K, or fewer at the end of an epoch)
 * @param firstStep the global step of the first batch
 * @param totalRows rows of the whole training set
 * @param inputShape shape of one example
 * @param outputs model outputs
 */
record Round(int epoch, int firstBatch, int steps, long firstStep, int totalRows, int[] inputShape, int outputs)
        implements Serializable {
}
