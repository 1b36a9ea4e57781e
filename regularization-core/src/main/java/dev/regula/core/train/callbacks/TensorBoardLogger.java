package dev.regula.core.train.callbacks;

import dev.regula.core.train.BatchProgress;
import dev.regula.core.train.EpochMetrics;
import dev.regula.core.train.TrainingCallback;
import dev.regula.core.train.TrainingContext;
import dev.regula.core.io.IoReasons;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Shows a fit in TensorBoard: every {@code batchEvery} steps the batch loss ({@code batch/loss})
 * and the global gradient norm ({@code batch/grad_norm}); after every epoch each metric of
 * {@link CsvLogger} (loss, accuracy, val_loss, val_accuracy, lr, grad_norm, {@code penalty/<spec>},
 * {@code penalty/<spec>/<parameter>}, {@code grad_norm/<parameter>}) as {@code epoch/<name>}, all against the optimizer step. NaN
 * values (no validation) are left out. The event file is made in {@code directory} when the fit
 * begins and closed when it ends.
 */
public final class TensorBoardLogger implements TrainingCallback {
    private final Path directory;
    private final int batchEvery;
    private TensorBoardWriter writer;

    /**
     * @param directory the log directory (TensorBoard's {@code --logdir}); made if missing
     * @param batchEvery steps between batch scalars, ≥ 1, or 0 for epoch scalars only
     */
    public TensorBoardLogger(Path directory, int batchEvery) {
        this.directory = Objects.requireNonNull(directory, "directory");
        if (batchEvery < 0) throw new IllegalArgumentException("batchEvery must be >= 0, got " + batchEvery);
        this.batchEvery = batchEvery;
    }

    /** @return the event file of the running (or last) fit, or null before one began */
    public Path file() {
        return writer == null ? null : writer.file();
    }

    @Override
    public void onTrainBegin(TrainingContext ctx) {
        try {
            writer = new TensorBoardWriter(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a TensorBoard event file in " + directory + ": " + IoReasons.of(e), e);
        }
    }

    @Override
    public void onBatchEnd(TrainingContext ctx, BatchProgress p) {
        if (batchEvery == 0 || p.step() % batchEvery != 0) return;
        try {
            writer.scalar("batch/loss", p.step(), p.batchLoss());
            double g = ctx.lastGradientNorm();
            if (!Double.isNaN(g)) writer.scalar("batch/grad_norm", p.step(), g);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + writer.file() + ": " + IoReasons.of(e), e);
        }
    }

    @Override
    public void onEpochEnd(TrainingContext ctx, EpochMetrics m) {
        try {
            for (Map.Entry<String, Double> e : EpochRecord.of(ctx, m).entrySet()) {
                if (e.getKey().equals("epoch") || e.getKey().equals("step") || e.getValue().isNaN()) continue;
                writer.scalar("epoch/" + e.getKey(), m.step(), e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + writer.file() + ": " + IoReasons.of(e), e);
        }
    }

    @Override
    public void onTrainEnd(TrainingContext ctx, List<EpochMetrics> history) {
        try {
            if (writer != null) writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + writer.file() + ": " + IoReasons.of(e), e);
        }
    }
}
