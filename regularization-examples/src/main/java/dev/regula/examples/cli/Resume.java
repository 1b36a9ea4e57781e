package dev.regula.examples.cli;

import dev.regula.api.CorruptDataException;
import dev.regula.core.checkpoint.Checkpoint;
import dev.regula.core.train.Trainer;
import dev.regula.core.train.TrainingCheckpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --resume} of {@code regula train}: the command line's side of core's
 * {@link TrainingCheckpoint} (which saves and restores the whole run: parameters, layer state,
 * optimizer state, anchors, learnable regularizers' state, weight averages, step and epoch). This
 * class adds what only the command line knows: the checkpoint must exist where {@code --out}
 * says, settings added to the command line later have defaults for older checkpoints, and every
 * message names {@code --resume}.
 */
final class Resume {
    private Resume() {
    }

    static void save(Path file, Trainer trainer, Map<String, String> settings) throws IOException {
        TrainingCheckpoint.save(file, trainer, settings);
    }

    /** Metadata key of the optimizer state's tensor names at the save, to notice missing or renamed state. */
    static final String OPTIMIZER_STATE = TrainingCheckpoint.OPTIMIZER_STATE;
    /**
     * Settings that checkpoints of older versions do not record: when absent they cannot be
     * checked, which a resume reports as a warning instead of refusing.
     */
    static final Set<String> NEWER_SETTINGS = Set.of("label_smoothing", "train_data");
    /**
     * Settings of options added later, with the value a checkpoint that does not record them was
     * necessarily written with (the option did not exist yet, so it had its default): these are
     * checked exactly, never only warned about.
     */
    static final Map<String, String> DEFAULTS_WHEN_ABSENT = Map.of("loss", "cross-entropy", "poly", "1", "validation", "none",
            "dataset", "fashion-mnist");

    /**
     * Reads and checks a checkpoint before anything is changed: it must exist, be a regular
     * file, load, and hold a valid step and epoch.
     *
     * @param file the checkpoint of the run to resume
     * @return the checkpoint
     * @throws IllegalArgumentException if there is none (exit 2)
     * @throws CorruptDataException naming the file if it is not a valid checkpoint (exit 3)
     * @throws IOException if it cannot be read
     */
    static Checkpoint read(Path file) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("--resume: no checkpoint at " + file + "; run without --resume first or pass the --out of that run");
        }
        OutputFolder.file(file.getParent() == null ? Path.of(".") : file.getParent(), file.getFileName().toString());
        try {
            return TrainingCheckpoint.read(file);
        } catch (CorruptDataException e) {
            throw new CorruptDataException("--resume: " + e.getMessage(), e);
        }
    }

    /**
     * Checks that {@code c} was written with {@code settings} and restores the trainer from it. It
     * changes the trainer only (no file), so a refusal leaves the output folder as it was.
     *
     * @param file where {@code c} was read from (for messages)
     * @param c the checkpoint from {@link #read}
     * @param warn where warnings go (standard error)
     */
    static void restore(Path file, Checkpoint c, Trainer trainer, Map<String, String> settings, PrintWriter warn)
            throws CorruptDataException {
        restore(file, c, List.of(TrainingCheckpoint.Part.of(trainer)), settings, warn);
        try {
            TrainingCheckpoint.restorePosition(file, c, trainer);
        } catch (CorruptDataException e) {
            throw new CorruptDataException("--resume: " + e.getMessage(), e);
        }
    }

    /**
     * Restores the parts of a run (one trainer, or a GAN's two networks), with the command line's
     * compatibility rules for settings and its message prefix.
     */
    static void restore(Path file, Checkpoint c, List<TrainingCheckpoint.Part> parts, Map<String, String> settings, PrintWriter warn)
            throws CorruptDataException {
        try {
            TrainingCheckpoint.restore(file, c, parts, new TrainingCheckpoint.Settings(settings, DEFAULTS_WHEN_ABSENT, NEWER_SETTINGS),
                    w -> warn.println("regula: warning: --resume: " + w));
        } catch (CorruptDataException e) {
            throw new CorruptDataException("--resume: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--resume: " + e.getMessage(), e);
        }
    }
}
