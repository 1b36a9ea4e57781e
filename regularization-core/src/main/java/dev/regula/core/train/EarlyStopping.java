package dev.regula.core.train;

import dev.regula.api.param.Parameter;
import dev.regula.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Stops training when a monitored metric has not improved by more than {@code minDelta} for
 * {@code patience} epochs, optionally restoring the parameters of the best epoch.
 */
public final class EarlyStopping implements TrainingCallback {
    private final String monitor;
    private final int patience;
    private final double minDelta;
    private final boolean restoreBest;
    private final boolean maximize;
    private double best = Double.NaN;
    private int bestEpoch;
    private int waited;
    private List<Tensor> bestValues;

    /**
     * @param monitor {@code val_loss}, {@code val_accuracy}, {@code loss} or {@code accuracy}
     * @param patience epochs without improvement before stopping, ≥ 1
     * @param minDelta smallest change that counts as an improvement, ≥ 0
     * @param restoreBest whether to put back the best epoch's parameters when stopping or at the end
     */
    public EarlyStopping(String monitor, int patience, double minDelta, boolean restoreBest) {
        if (patience < 1) throw new IllegalArgumentException("patience must be >= 1, got " + patience);
        if (!(minDelta >= 0)) throw new IllegalArgumentException("minDelta must be >= 0, got " + minDelta);
        if (!List.of("val_loss", "val_accuracy", "loss", "accuracy").contains(monitor)) {
            throw new IllegalArgumentException("unknown monitor '" + monitor + "'; allowed: val_loss, val_accuracy, loss, accuracy");
        }
        this.monitor = monitor;
        this.patience = patience;
        this.minDelta = minDelta;
        this.restoreBest = restoreBest;
        this.maximize = monitor.endsWith("accuracy");
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochMetrics metrics) {
        double v = metrics.value(monitor);
        boolean improved = Double.isNaN(best) || (maximize ? v > best + minDelta : v < best - minDelta);
        if (improved && !Double.isNaN(v)) {
            best = v;
            bestEpoch = metrics.epoch();
            waited = 0;
            if (restoreBest) bestValues = snapshot(trainer.model().parameters());
        } else if (++waited >= patience) {
            if (restoreBest && bestValues != null) restore(trainer.model().parameters(), bestValues);
            trainer.requestStop("early stopping: " + monitor + " did not improve for " + patience
                    + " epochs (best " + best + " at epoch " + bestEpoch + ")");
        }
    }

    /** @return the epoch with the best monitored value so far (0 before the first epoch) */
    public int bestEpoch() {
        return bestEpoch;
    }

    private static List<Tensor> snapshot(List<Parameter> ps) {
        List<Tensor> out = new ArrayList<>(ps.size());
        for (Parameter p : ps) out.add(p.value().copy());
        return out;
    }

    private static void restore(List<Parameter> ps, List<Tensor> values) {
        for (int i = 0; i < ps.size(); i++) ps.get(i).value().copyFrom(values.get(i));
    }
}
