package dev.regula.examples.cli;

import dev.regula.core.checkpoint.Checkpoint;
import dev.regula.core.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checkpoints of a training run: parameters (the model's and learnable regularizers'), optimizer
 * state, and the position (step, epoch) with the run's settings in the metadata, so that a resumed
 * run continues exactly where the saved one was and refuses different settings.
 */
final class Resume {
    private Resume() {
    }

    static void save(Path file, Trainer trainer, Map<String, String> settings) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>(settings);
        meta.put("step", String.valueOf(trainer.step()));
        meta.put("epoch", String.valueOf(trainer.epoch()));
        Checkpoint.save(file, trainer.pipeline().allParameters(), trainer.config().optimizer().state(), meta);
    }

    /**
     * @return the epochs completed in the checkpoint at {@code file}, or Integer.MAX_VALUE if
     *     there is none or it names no epoch ({@link #restore} then explains the problem)
     */
    static int savedEpoch(Path file) throws IOException {
        if (!Files.exists(file)) return Integer.MAX_VALUE;
        String epoch = Checkpoint.load(file).metadata().get("epoch");
        try {
            return epoch == null ? Integer.MAX_VALUE : Integer.parseInt(epoch);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    static void restore(Path file, Trainer trainer, Map<String, String> settings) throws IOException {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("--resume: no checkpoint at " + file + "; run without --resume first or pass the --out of that run");
        }
        Checkpoint c = Checkpoint.load(file);
        for (Map.Entry<String, String> e : settings.entrySet()) {
            String saved = c.metadata().get(e.getKey());
            if (!e.getValue().equals(saved)) {
                throw new IllegalArgumentException("--resume: the checkpoint " + file + " was written with " + e.getKey() + "=" + saved
                        + " but this run has " + e.getKey() + "=" + e.getValue() + "; use the same settings to resume");
            }
        }
        c.restoreInto(trainer.pipeline().allParameters());
        trainer.config().optimizer().loadState(c.extraState());
        trainer.resumeAt(Long.parseLong(c.metadata().get("step")), Integer.parseInt(c.metadata().get("epoch")));
    }
}
