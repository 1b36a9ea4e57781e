package dev.regula.core.train.callbacks;

import dev.regula.core.train.EpochMetrics;
import dev.regula.core.train.TrainingCallback;
import dev.regula.core.train.TrainingContext;

/**
 * Multiplies the learning rate by {@code factor} when the monitored metric has not improved by
 * more than {@code minDelta} for {@code patience} epochs (Keras's {@code ReduceLROnPlateau},
 * PyTorch's {@code ReduceLROnPlateau}), down to {@code minScale} times the schedule's rate; then
 * waits {@code patience} epochs again. The factor multiplies the optimizer's schedule through
 * {@link TrainingContext#scaleLearningRate}, so schedules keep their shape, and it is saved in
 * training checkpoints.
 */
public final class ReduceLrOnPlateau implements TrainingCallback {
    private final Monitor monitor;
    private final double factor;
    private final int patience;
    private final double minScale;
    private double best = Double.NaN;
    private int wait;
    private int reductions;

    /**
     * @param monitor {@code val_loss}, {@code val_accuracy}, {@code loss} or {@code accuracy}
     * @param factor in (0, 1)
     * @param patience epochs without improvement before a reduction, ≥ 1
     * @param minDelta the least change that counts as an improvement, ≥ 0
     * @param minScale the lowest total factor, in (0, 1]
     * @throws IllegalArgumentException naming the value out of range
     */
    public ReduceLrOnPlateau(String monitor, double factor, int patience, double minDelta, double minScale) {
        this.monitor = new Monitor(monitor, minDelta);
        if (!(factor > 0 && factor < 1)) throw new IllegalArgumentException("factor must be in (0, 1), got " + factor);
        if (patience < 1) throw new IllegalArgumentException("patience must be >= 1, got " + patience);
        if (!(minScale > 0 && minScale <= 1)) throw new IllegalArgumentException("minScale must be in (0, 1], got " + minScale);
        this.factor = factor;
        this.patience = patience;
        this.minScale = minScale;
    }

    /**
     * Starts counting afresh for each fit, as {@code EarlyStopping} does: a callback passed on to
     * another trainer (by {@code TrainingConfig.toBuilder}) carries no best value or patience spent
     * from the earlier fit. (The factor itself lives in the trainer and its checkpoints; a resumed
     * run counts its patience from the resume.)
     */
    @Override
    public void onTrainBegin(TrainingContext ctx) {
        best = Double.NaN;
        wait = 0;
    }

    @Override
    public void onEpochEnd(TrainingContext ctx, EpochMetrics m) {
        double v = monitor.require(m, "ReduceLrOnPlateau");
        if (monitor.improves(v, best)) {
            best = v;
            wait = 0;
            return;
        }
        if (++wait < patience) return;
        wait = 0;
        double current = ctx.learningRateScale();
        double next = Math.max(minScale, current * factor);
        if (next < current) {
            ctx.scaleLearningRate(next / current);
            reductions++;
        }
    }

    /** @return how many times the rate was lowered */
    public int reductions() {
        return reductions;
    }
}
