package dev.regula.core.train.callbacks;

import dev.regula.core.train.EpochMetrics;
import java.util.List;

/**
 * A monitored metric of the callbacks (early stopping, checkpoints, learning-rate reduction): its
 * name, whether larger is better, and whether a value improves on the best.
 *
 * @param name {@code val_loss}, {@code val_accuracy}, {@code loss} or {@code accuracy}
 * @param minDelta the least change that counts as an improvement, finite and ≥ 0
 */
public record Monitor(String name, double minDelta) {
    private static final List<String> NAMES = List.of("val_loss", "val_accuracy", "loss", "accuracy");

    /** @throws IllegalArgumentException for an unknown (or null) name or a minDelta that is negative or not finite */
    public Monitor {
        if (name == null || !NAMES.contains(name)) throw new IllegalArgumentException("unknown monitor '" + name + "'; allowed: " + String.join(", ", NAMES));
        if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
            throw new IllegalArgumentException("min delta must be finite and >= 0, got " + minDelta);
        }
    }

    /** @return whether larger values are better (the accuracies) */
    public boolean maximize() {
        return name.endsWith("accuracy");
    }

    /**
     * @param m an epoch's metrics
     * @return the metric's value, NaN if the epoch does not have it (no validation)
     */
    public double value(EpochMetrics m) {
        return m.value(name);
    }

    /**
     * The metric's value, for a callback that cannot work without it.
     *
     * @param m an epoch's metrics
     * @param who the callback, for the message
     * @return the value
     * @throws IllegalArgumentException if the run does not have the metric at all: a val_ metric
     *     without validation data, an accuracy under a regression loss (a NaN loss of a diverged
     *     run is returned as it is; where a regression's validation loss and its training loss are
     *     both NaN, the message names both causes, since the metrics cannot tell them apart)
     */
    public double require(EpochMetrics m, String who) {
        double v = m.value(name);
        if (!Double.isNaN(v)) return v;
        boolean validation = name.startsWith("val_");
        if (validation && Double.isNaN(m.validationLoss())) {
            // a classification evaluation always has an accuracy, even of NaN outputs: then the loss diverged
            if (!Double.isNaN(m.validationAccuracy())) return v;
            // a regression evaluation has none, so a NaN loss alone cannot tell the two apart
            throw new IllegalArgumentException(who + " monitors " + name + ", but the fit has no validation data"
                    + (Double.isFinite(m.trainLoss()) ? "" : " or its evaluation diverged (training loss " + m.trainLoss() + ")")
                    + "; give the fit validation data or monitor " + name.substring(4));
        }
        if (maximize() && !Double.isNaN(validation ? m.validationLoss() : m.trainLoss())) {
            throw new IllegalArgumentException(who + " monitors " + name + ", which this run does not have (no classes: a"
                    + " regression loss); monitor " + (validation ? "val_loss" : "loss"));
        }
        return v;
    }

    /**
     * @param v a value
     * @param best the best so far, NaN before any
     * @return whether {@code v} beats {@code best} by more than minDelta (any number beats NaN)
     */
    public boolean improves(double v, double best) {
        if (Double.isNaN(v)) return false;
        if (Double.isNaN(best)) return true;
        return maximize() ? v > best + minDelta : v < best - minDelta;
    }
}
