package dev.regula.examples.progress;

import dev.regula.core.train.BatchProgress;
import dev.regula.core.train.Trainer;
import dev.regula.core.train.TrainingCallback;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * A training callback that shows one {@link ProgressReporter} per epoch: batches done, running
 * loss, running training accuracy and examples per second.
 */
public final class TrainingProgress implements TrainingCallback {
    private final ProgressMode mode;
    private final String prefix;
    private final int epochs;
    private final PrintStream lines;
    private final Duration interval;
    private ProgressReporter current;
    private int currentEpoch;

    /**
     * @param mode how to show progress
     * @param epochs the configured number of epochs (shown as {@code epoch e/epochs})
     * @param lines where plain lines go
     * @param interval the least time between two plain lines
     */
    public TrainingProgress(ProgressMode mode, int epochs, PrintStream lines, Duration interval) {
        this(mode, "", epochs, lines, interval);
    }

    /**
     * @param mode how to show progress
     * @param prefix text before {@code epoch e/epochs}, e.g. the setting being trained (may be empty)
     * @param epochs the configured number of epochs
     * @param lines where the bar or the plain lines go
     * @param interval the least time between two plain lines
     */
    public TrainingProgress(ProgressMode mode, String prefix, int epochs, PrintStream lines, Duration interval) {
        this.mode = mode.resolve();
        this.prefix = prefix.isEmpty() ? "" : prefix + " ";
        this.epochs = epochs;
        this.lines = lines;
        this.interval = interval;
    }

    @Override
    public void onBatchEnd(Trainer trainer, BatchProgress p) {
        if (mode == ProgressMode.NONE) return;
        if (current != null && currentEpoch != p.epoch()) {
            current.close(); // the last batch of that epoch was skipped (NaN policy skip-step)
            current = null;
        }
        if (current == null) {
            currentEpoch = p.epoch();
            current = ProgressReporter.open(mode, prefix + "epoch " + p.epoch() + "/" + epochs, p.batchesPerEpoch(), lines, interval);
        }
        current.update(p.batchesDone(), message(p));
        if (p.batchesDone() == p.batchesPerEpoch()) {
            current.close();
            current = null;
        }
    }

    /**
     * @param p a batch's progress
     * @return the figures shown beside the bar
     */
    static String message(BatchProgress p) {
        String acc = Double.isNaN(p.accuracy()) ? "" : String.format(Locale.ROOT, " acc %.4f", p.accuracy());
        return String.format(Locale.ROOT, "loss %.4f%s %,.0f ex/s", p.meanLoss(), acc, p.examplesPerSecond());
    }
}
