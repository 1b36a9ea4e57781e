package dev.regula.core.train;

import dev.regula.api.param.Parameter;
import dev.regula.api.tensor.Tensor;
import dev.regula.api.regularizer.WeightAverager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Stops training when a monitored metric has not improved by more than {@code minDelta} for
 * {@code patience} epochs, optionally restoring the best epoch's model when it stops or when the
 * fit ends: everything an evaluation reads, the parameters, the model's state (BatchNorm's running
 * statistics) and the weight averages ({@code ema}, {@code swa}) with their counts. Each fit starts
 * afresh (a resumed run does not know the best of the run before it).
 */
public final class EarlyStopping implements TrainingCallback {
    private final dev.regula.core.train.callbacks.Monitor monitor;
    private final int patience;
    private final boolean restoreBest;
    private double best = Double.NaN;
    private int bestEpoch;
    private int lastEpoch;
    private int waited;
    private Snapshot bestModel;
    private Trainer trainer;

    /**
     * @param monitor {@code val_loss}, {@code val_accuracy}, {@code loss} or {@code accuracy}
     * @param patience epochs without improvement before stopping, ≥ 1
     * @param minDelta smallest change that counts as an improvement, finite and ≥ 0
     * @param restoreBest whether to put back the best epoch's model when stopping or at the end
     * @throws IllegalArgumentException for an unknown (or null) monitor, patience &lt; 1 or a bad minDelta
     */
    public EarlyStopping(String monitor, int patience, double minDelta, boolean restoreBest) {
        if (patience < 1) throw new IllegalArgumentException("patience must be >= 1, got " + patience);
        this.monitor = new dev.regula.core.train.callbacks.Monitor(monitor, minDelta);
        this.patience = patience;
        this.restoreBest = restoreBest;
    }

    @Override
    public void onTrainBegin(TrainingContext ctx) {
        best = Double.NaN;
        bestEpoch = 0;
        lastEpoch = 0;
        waited = 0;
        bestModel = null;
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochMetrics metrics) {
        this.trainer = trainer;
        lastEpoch = metrics.epoch();
        double v = monitor.require(metrics, "early stopping");
        if (monitor.improves(v, best)) {
            best = v;
            bestEpoch = metrics.epoch();
            waited = 0;
            if (restoreBest) bestModel = Snapshot.of(trainer);
        } else if (++waited >= patience) {
            if (restoreBest && bestModel != null) {
                bestModel.restore(trainer);
                bestModel = null;
            }
            trainer.requestStop("early stopping: " + monitor.name() + " did not improve for " + patience
                    + " epochs (best " + best + " at epoch " + bestEpoch + ")");
        }
    }

    /** At the end of a fit that ran to its last epoch, puts back the best epoch's model if a later one is in place. */
    @Override
    public void onTrainEnd(TrainingContext ctx, List<EpochMetrics> history) {
        if (restoreBest && bestModel != null && trainer != null && ctx.failure().isEmpty() && bestEpoch != lastEpoch) {
            bestModel.restore(trainer);
        }
        bestModel = null;
    }

    /** @return the epoch with the best monitored value so far (0 before the first epoch) */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** What an evaluation of the model reads: parameters, the model's state, the weight averages. */
    private record Snapshot(List<Tensor> parameters, List<float[]> state, List<Map<String, Tensor>> averages, long[] counts) {
        static Snapshot of(Trainer t) {
            List<Tensor> values = new ArrayList<>();
            for (Parameter p : t.model().parameters()) values.add(p.value().copy());
            List<float[]> state = TrainingStep.copyOfState(t.model());
            List<WeightAverager> averagers = t.pipeline().weightAveragers();
            List<Map<String, Tensor>> averages = new ArrayList<>();
            long[] counts = new long[averagers.size()];
            for (int i = 0; i < averagers.size(); i++) {
                averages.add(averagers.get(i).state());
                counts[i] = averagers.get(i).count();
            }
            return new Snapshot(values, state, averages, counts);
        }

        void restore(Trainer t) {
            List<Parameter> ps = t.model().parameters();
            for (int i = 0; i < ps.size(); i++) ps.get(i).value().copyFrom(parameters.get(i));
            TrainingStep.restoreState(t.model(), state);
            List<WeightAverager> averagers = t.pipeline().weightAveragers();
            for (int a = 0; a < averagers.size(); a++) averagers.get(a).restoreState(averages.get(a), counts[a]);
        }
    }
}
