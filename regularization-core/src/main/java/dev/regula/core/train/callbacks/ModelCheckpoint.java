package dev.regula.core.train.callbacks;

import dev.regula.core.train.EpochMetrics;
import dev.regula.core.train.TrainingCallback;
import dev.regula.core.train.TrainingCheckpoint;
import dev.regula.core.train.TrainingContext;
import dev.regula.core.io.IoReasons;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Saves the whole run ({@link TrainingCheckpoint}, so that it can resume bit for bit) after every
 * epoch to {@code last.safetensors}, and to {@code best.safetensors} whenever the monitored
 * metric improves on the best so far by more than {@code minDelta}; the best file's metadata also
 * records the monitor, its value and the epoch ({@value #BEST_MONITOR}, {@value #BEST_VALUE},
 * {@value #BEST_EPOCH}). Writes are atomic: a crash leaves the previous file whole.
 *
 * <p>A run that starts afresh (at epoch 0) has a best of its own: its first epoch replaces an
 * earlier run's files. A resumed run (restored at epoch e &gt; 0) continues the best of the run
 * it resumes: the value the best file records, if it names the same monitor and an epoch ≤ e, so
 * that a worse epoch after the resumption does not replace the best file.
 */
public final class ModelCheckpoint implements TrainingCallback {
    /** The file of the last epoch. */
    public static final String LAST = "last.safetensors";
    /** The file of the best epoch. */
    public static final String BEST = "best.safetensors";
    /** Metadata of the best file: the monitored metric's name. */
    public static final String BEST_MONITOR = "best_monitor";
    /** Metadata of the best file: the monitored value, exactly ({@link Double#toString}). */
    public static final String BEST_VALUE = "best_value";
    /** Metadata of the best file: its epoch, from 1. */
    public static final String BEST_EPOCH = "best_epoch";

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
        for (String key : List.of(BEST_MONITOR, BEST_VALUE, BEST_EPOCH)) {
            if (this.settings.containsKey(key)) throw new IllegalArgumentException("ModelCheckpoint: the setting '" + key + "' is its own");
        }
    }

    @Override
    public void onTrainBegin(TrainingContext ctx) {
        best = Double.NaN;
        bestEpoch = 0;
        Path file = directory.resolve(BEST);
        if (ctx.epoch() == 0 || !java.nio.file.Files.isRegularFile(file)) return;
        try {
            Map<String, String> meta = dev.regula.core.checkpoint.Safetensors.readMetadata(file); // not the weights
            int epoch = Integer.parseInt(meta.getOrDefault(BEST_EPOCH, "0"));
            double value = Double.parseDouble(meta.getOrDefault(BEST_VALUE, "NaN"));
            if (monitor.name().equals(meta.get(BEST_MONITOR)) && epoch >= 1 && epoch <= ctx.epoch() && !Double.isNaN(value)) {
                best = value;
                bestEpoch = epoch;
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable or older best file: the resumed run starts a best of its own, as before the record existed
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
                Map<String, String> withBest = new java.util.LinkedHashMap<>(settings);
                withBest.put(BEST_MONITOR, monitor.name()); // in the same atomic write as the weights
                withBest.put(BEST_VALUE, Double.toString(v));
                withBest.put(BEST_EPOCH, Integer.toString(bestEpoch));
                ctx.saveCheckpoint(directory.resolve(BEST), withBest);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a checkpoint into " + directory + ": " + IoReasons.of(e), e);
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
