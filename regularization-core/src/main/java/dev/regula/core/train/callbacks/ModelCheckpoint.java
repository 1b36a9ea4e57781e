package dev.regula.core.train.callbacks;

import dev.regula.core.train.EpochMetrics;
import dev.regula.core.train.TrainingCallback;
import dev.regula.core.train.TrainingCheckpoint;
import dev.regula.core.train.TrainingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Saves the whole run ({@link TrainingCheckpoint}, so that it can resume bit for bit) after every
 * epoch to {@code last.safetensors}, and to {@code best.safetensors} whenever the monitored
 * metric improves on the best so far by more than {@code minDelta}; beside it,
 * {@code best.properties} records the monitor, its best value and the epoch. Writes are atomic: a
 * crash leaves the previous file whole.
 *
 * <p>A run that starts afresh (at epoch 0) has a best of its own: its first epoch replaces an
 * earlier run's files. A resumed run (restored at epoch e &gt; 0) continues the best of the run
 * it resumes: the value {@code best.properties} records, if it names the same monitor and an
 * epoch ≤ e, so that a worse epoch after the resumption does not replace the best file.
 */
public final class ModelCheckpoint implements TrainingCallback {
    /** The file of the last epoch. */
    public static final String LAST = "last.safetensors";
    /** The file of the best epoch. */
    public static final String BEST = "best.safetensors";
    /** The record of the best epoch: monitor, value and epoch. */
    public static final String BEST_RECORD = "best.properties";

    private final Path directory;
    private final Monitor monitor;
    private final Map<String, String> settings;
    private double best = Double.NaN;
    private int bestEpoch;

    /**
     * @param directory where to write {@value #LAST} and {@value #BEST}; it must exist
     * @param monitor {@code val_loss}, {@code val_accuracy}, {@code loss} or {@code accuracy}
     * @param minDelta the least change that counts as an improvement, ≥ 0
     * @param settings the run's settings, stored and checked when the checkpoint is restored
     * @throws IllegalArgumentException for an unknown monitor or a negative minDelta, or a
     *     directory that does not exist (found here, not at the end of the first epoch)
     */
    public ModelCheckpoint(Path directory, String monitor, double minDelta, Map<String, String> settings) {
        this.directory = Objects.requireNonNull(directory, "directory");
        if (!java.nio.file.Files.isDirectory(directory)) {
            throw new IllegalArgumentException("ModelCheckpoint: the folder " + directory + " does not exist (or is not a folder);"
                    + " create it first (Files.createDirectories)");
        }
        this.monitor = new Monitor(monitor, minDelta);
        this.settings = Map.copyOf(Objects.requireNonNull(settings, "settings (Map.of() for none)"));
    }

    @Override
    public void onTrainBegin(TrainingContext ctx) {
        best = Double.NaN;
        bestEpoch = 0;
        Path record = directory.resolve(BEST_RECORD);
        if (ctx.epoch() == 0 || !java.nio.file.Files.isRegularFile(record)) return;
        java.util.Properties p = new java.util.Properties();
        try (var in = java.nio.file.Files.newBufferedReader(record)) {
            p.load(in);
            int epoch = Integer.parseInt(p.getProperty("epoch", "0"));
            double value = Double.parseDouble(p.getProperty("value", "NaN"));
            if (monitor.name().equals(p.getProperty("monitor")) && epoch >= 1 && epoch <= ctx.epoch() && !Double.isNaN(value)) {
                best = value;
                bestEpoch = epoch;
            }
        } catch (IOException | IllegalArgumentException e) {
            // an unreadable record: the resumed run starts a best of its own, as before the record existed
        }
    }

    @Override
    public void onEpochEnd(TrainingContext ctx, EpochMetrics m) {
        try {
            ctx.saveCheckpoint(directory.resolve(LAST), settings);
            double v = monitor.require(m, "ModelCheckpoint");
            if (monitor.improves(v, best)) {
                best = v;
                bestEpoch = m.epoch();
                ctx.saveCheckpoint(directory.resolve(BEST), settings);
                dev.regula.core.io.AtomicFiles.writeString(directory.resolve(BEST_RECORD), "monitor=" + monitor.name() + "\nvalue="
                        + v + "\nepoch=" + bestEpoch + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a checkpoint into " + directory + ": " + LogFiles.reason(e), e);
        }
    }

    /** @return the best value of the monitored metric so far, NaN before any */
    public double best() {
        return best;
    }

    /** @return the epoch (from 1) of the best value, 0 before any */
    public int bestEpoch() {
        return bestEpoch;
    }
}
