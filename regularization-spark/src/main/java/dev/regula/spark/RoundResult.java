package dev.regula.spark;

import java.io.Serializable;
import java.util.Map;

/**
 * What one worker sends back after a round.
 *
 * @param worker the worker (partition) index
 * @param rows rows it processed in the round (its weight in the average; 0 if it had none)
 * @param lossSum Σ over its steps of data loss × rows
 * @param correct correctly classified rows (classification only)
 * @param values gradient averaging: the mean gradient of its rows; local SGD: its parameters after the round
 * @param layerState its layers' state after the round ({@code Model.state()}: BatchNorm's running
 *     statistics, updated by its own TRAIN forwards from the broadcast values), empty for stateless models
 * @param optimizerState local SGD: its optimizer state after the round (empty otherwise)
 * @param computeNanos time spent inside the task (model build, load, steps)
 */
record RoundResult(int worker, long rows, double lossSum, long correct, float[][] values, Map<String, float[]> layerState, Map<String, Array> optimizerState,
                   long computeNanos) implements Serializable {
}
