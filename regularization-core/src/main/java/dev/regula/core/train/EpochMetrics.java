package dev.regula.core.train;

import java.util.List;
import java.util.Map;

/**
 * What happened in one epoch. Losses are means over the epoch's batches (training accuracy is
 * measured with regularization noise active, as Keras does); validation figures are NaN when
 * there is no validation set.
 *
 * @param epoch the epoch, from 1
 * @param step the global step at the end of the epoch
 * @param learningRate the learning rate at the last step
 * @param trainLoss mean data loss (without penalties)
 * @param trainAccuracy fraction correct on the training batches, NaN for non-classification losses
 * @param penalties each parameter regularizer's penalty R(θ) at the end of the epoch, by spec
 * @param validationLoss mean data loss on the validation set
 * @param validationAccuracy accuracy on the validation set
 * @param parameters norms and sparsity per parameter
 * @param skippedSteps steps skipped for NaN/Inf under {@link NanPolicy#SKIP_STEP}
 * @param seconds wall time of the epoch (training and validation)
 * @param examplesPerSecond training throughput
 * @param parameterPenalties each parameter regularizer's penalty split by parameter (its parts add
 *     up to its entry in {@code penalties}), in the pipeline's order; empty where not measured
 */
public record EpochMetrics(int epoch, long step, double learningRate, double trainLoss, double trainAccuracy,
                           Map<String, Double> penalties, double validationLoss, double validationAccuracy,
                           List<ParameterStats> parameters, int skippedSteps, double seconds, double examplesPerSecond,
                           List<ParameterPenalty> parameterPenalties) {
    /** Copies the collections. */
    public EpochMetrics {
        penalties = Map.copyOf(penalties);
        parameters = List.copyOf(parameters);
        parameterPenalties = List.copyOf(parameterPenalties);
    }

    /**
     * Metrics without per-parameter penalty parts.
     *
     * @param epoch the epoch, from 1
     * @param step the global step at the end of the epoch
     * @param learningRate the learning rate at the last step
     * @param trainLoss mean data loss (without penalties)
     * @param trainAccuracy fraction correct on the training batches, NaN for non-classification losses
     * @param penalties each regularizer's penalty by spec
     * @param validationLoss mean data loss on the validation set
     * @param validationAccuracy accuracy on the validation set
     * @param parameters norms and sparsity per parameter
     * @param skippedSteps steps skipped for NaN/Inf
     * @param seconds wall time of the epoch
     * @param examplesPerSecond training throughput
     */
    public EpochMetrics(int epoch, long step, double learningRate, double trainLoss, double trainAccuracy,
                        Map<String, Double> penalties, double validationLoss, double validationAccuracy,
                        List<ParameterStats> parameters, int skippedSteps, double seconds, double examplesPerSecond) {
        this(epoch, step, learningRate, trainLoss, trainAccuracy, penalties, validationLoss, validationAccuracy, parameters,
                skippedSteps, seconds, examplesPerSecond, List.of());
    }

    /** @return the sum of all penalties */
    public double totalPenalty() {
        return penalties.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** @return trainAccuracy − validationAccuracy (NaN without validation) */
    public double generalizationGap() {
        return trainAccuracy - validationAccuracy;
    }

    /**
     * @return the overall sparsity, as {@link ParameterStats#weightSparsity} counts it: entries
     *     that count as zero over all entries of the parameters with role WEIGHT (biases and
     *     other parameters left out; all parameters when none is a weight), 0 without parameters
     */
    public double overallSparsity() {
        return ParameterStats.sparsity(parameters, ParameterStats::role, ParameterStats::size, p -> p.sparsity() * p.size());
    }

    /**
     * @param monitor {@code loss}, {@code val_loss}, {@code accuracy} or {@code val_accuracy}
     * @return the value of that metric
     */
    public double value(String monitor) {
        return switch (monitor) {
            case "loss" -> trainLoss;
            case "val_loss" -> validationLoss;
            case "accuracy" -> trainAccuracy;
            case "val_accuracy" -> validationAccuracy;
            default -> throw new IllegalArgumentException("unknown metric '" + monitor + "'; allowed: loss, val_loss, accuracy, val_accuracy");
        };
    }
}
