package dev.regula.core.train.callbacks;

import dev.regula.core.train.EpochMetrics;
import java.util.List;

/** A monitored metric: its name, whether larger is better, and whether a value improves on the best. */
record Monitor(String name, double minDelta) {
    private static final List<String> NAMES = List.of("val_loss", "val_accuracy", "loss", "accuracy");

    Monitor {
        if (!NAMES.contains(name)) throw new IllegalArgumentException("unknown monitor '" + name + "'; allowed: " + String.join(", ", NAMES));
        if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
            throw new IllegalArgumentException("min delta must be finite and >= 0, got " + minDelta);
        }
    }

    boolean maximize() {
        return name.endsWith("accuracy");
    }

    /** @return the metric's value, NaN if the epoch does not have it (no validation) */
    double value(EpochMetrics m) {
        return m.value(name);
    }

    /** @return whether {@code v} beats {@code best} by more than minDelta (any number beats NaN) */
    boolean improves(double v, double best) {
        if (Double.isNaN(v)) return false;
        if (Double.isNaN(best)) return true;
        return maximize() ? v > best + minDelta : v < best - minDelta;
    }
}
