package dev.regula.spark;

import dev.regula.api.CorruptDataException;
import dev.regula.api.param.Parameter;
import dev.regula.api.regularizer.LearnableRegularizer;
import dev.regula.api.regularizer.Regularizer;
import dev.regula.api.regularizer.WeightAverager;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.checkpoint.Checkpoint;
import dev.regula.core.checkpoint.Float64Tensor;
import dev.regula.api.regularizer.AnchoredRegularizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checkpoints of a Spark run, in the ordinary Regula checkpoint format (safetensors, written
 * atomically; {@code Checkpoint.load} and PyTorch read the weights). Besides the parameters they
 * hold everything the driver owns: the layers' non-trainable state under its own names (BatchNorm's
 * {@code <layer>.running_mean}, {@code <layer>.running_var}, as in a PyTorch state dict), the optimizer state ({@code optimizer/KEY}), the anchors θ₀
 * ({@code anchor/I/PARAMETER}), learnable regularizers' own parameters ({@code own/I/NAME}) and
 * optimizer state, weight averages ({@code average/I/KEY}), the position (step, epoch) and the
 * settings, I being the regularizer's position in the configuration. A resumed run continues
 * exactly as the uninterrupted one, except where a regularizer keeps a
 * {@link dev.regula.api.regularizer.StatefulRegularizer} state, which these checkpoints do not
 * carry yet (soft-decay without {@code lr0}: give {@code lr0} for an exact resume).
 */
public final class SparkCheckpoints {
    private static final String PREFIX = "regula.spark.";

    private SparkCheckpoints() {
    }

    /**
     * Writes the driver's state atomically.
     *
     * @param file the checkpoint file; its folder must exist
     * @param trainer the trainer
     * @throws IOException if writing fails (the previous file is then unchanged)
     */
    public static void save(Path file, SparkTrainer trainer) throws IOException {
        save(file, trainer, Map.of());
    }

    /**
     * As {@link #save(Path, SparkTrainer)}, with settings of the caller's own (the data a run
     * trains on, say) that {@link #resume(Path, SparkTrainer, Map)} checks as well.
     *
     * @param file the checkpoint file; its folder must exist
     * @param trainer the trainer
     * @param callerSettings more settings, checked at resume when the checkpoint records them
     * @throws IOException if writing fails (the previous file is then unchanged)
     */
    public static void save(Path file, SparkTrainer trainer, Map<String, String> callerSettings) throws IOException {
        Replica d = trainer.driver();
        Map<String, Tensor> extra = new TreeMap<>();
        Map<String, Float64Tensor> exact = new TreeMap<>();
        d.config.optimizer().state().forEach((k, v) -> extra.put("optimizer/" + k, v));
        extra.putAll(d.model.state());
        Map<String, String> meta = new TreeMap<>(settings(trainer.config()));
        callerSettings.forEach((k, v) -> meta.put(PREFIX + k, v));
        meta.put(PREFIX + "step", Long.toString(trainer.step()));
        meta.put(PREFIX + "epoch", Integer.toString(trainer.epoch()));
        for (int i = 0; i < d.regularizers.size(); i++) {
            Regularizer r = d.regularizers.get(i);
            if (r instanceof AnchoredRegularizer a) {
                for (Parameter p : d.parameters) {
                    final int index = i;
                    a.anchor(p.name()).ifPresent(t -> extra.put("anchor/" + index + "/" + p.name(), t));
                }
            }
            if (r instanceof LearnableRegularizer l) {
                for (Parameter p : l.ownParameters()) extra.put("own/" + i + "/" + p.name(), p.value());
                for (Map.Entry<String, double[]> e : l.ownOptimizerState().entrySet()) {
                    exact.put("own_state/" + i + "/" + e.getKey(), Float64Tensor.vector(e.getValue()));
                }
            }
            if (r instanceof WeightAverager w) {
                for (Map.Entry<String, Tensor> e : w.state().entrySet()) extra.put("average/" + i + "/" + e.getKey(), e.getValue());
                meta.put(PREFIX + "average/" + i + "/count", Long.toString(w.count()));
            }
        }
        Checkpoint.save(file, d.parameters, extra, exact, meta);
    }

    /**
     * Restores a checkpoint written by {@link #save} into a new trainer of the same settings
     * (the number of epochs may differ: that is how a run is extended).
     *
     * @param file the checkpoint
     * @param trainer a trainer that has not trained yet
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if a setting differs, naming it with both values
     */
    public static void resume(Path file, SparkTrainer trainer) throws IOException {
        resume(file, trainer, Map.of());
    }

    /**
     * As {@link #resume(Path, SparkTrainer)}, also checking the caller's own settings that
     * {@link #save(Path, SparkTrainer, Map)} recorded (a checkpoint of an older version that does
     * not record one is not refused for it).
     *
     * @param file the checkpoint
     * @param trainer a trainer that has not trained yet
     * @param callerSettings the caller's settings of this run
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if a setting differs, naming it with both values
     */
    public static void resume(Path file, SparkTrainer trainer, Map<String, String> callerSettings) throws IOException {
        Checkpoint c = Checkpoint.load(file);
        Map<String, String> now = new TreeMap<>(settings(trainer.config()));
        for (Map.Entry<String, String> e : callerSettings.entrySet()) {
            if (c.metadata().containsKey(PREFIX + e.getKey())) now.put(PREFIX + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, String> e : now.entrySet()) {
            String saved = c.metadata().get(e.getKey());
            // specs compared as a local resume compares them: defaults filled in, keys in order, numbers as values
            if (saved == null || !dev.regula.core.train.TrainingCheckpoint.sameSetting(e.getValue(), saved)) {
                throw new IllegalArgumentException(file + " was written by a run with " + e.getKey().substring(PREFIX.length()) + " = "
                        + saved + ", this run has " + e.getValue() + "; resume with the same settings (only the epochs may change)");
            }
        }
        Replica d = trainer.driver();
        Map<String, Tensor> layerState = d.model.state();
        for (String name : layerState.keySet()) {
            if (!c.extraState().containsKey(name)) {
                throw new IllegalArgumentException(file + " has no layer state '" + name + "', which this model needs to resume");
            }
        }
        c.restoreInto(d.parameters);
        Map<String, Tensor> optimizer = new HashMap<>();
        Map<Integer, Map<String, Tensor>> anchors = new HashMap<>();
        Map<Integer, Map<String, Tensor>> own = new HashMap<>();
        Map<Integer, Map<String, Tensor>> averages = new HashMap<>();
        for (Map.Entry<String, Tensor> e : c.extraState().entrySet()) {
            Tensor live = layerState.get(e.getKey());
            if (live != null) {
                if (live.size() != e.getValue().size()) {
                    throw new IllegalArgumentException(file + ": layer state '" + e.getKey() + "' has " + e.getValue().size()
                            + " values, this model " + live.size());
                }
                live.copyFrom(e.getValue());
                continue;
            }
            String[] parts = e.getKey().split("/", 3);
            switch (parts[0]) {
                case "optimizer" -> optimizer.put(e.getKey().substring("optimizer/".length()), e.getValue());
                case "anchor" -> anchors.computeIfAbsent(Integer.parseInt(parts[1]), k -> new HashMap<>()).put(parts[2], e.getValue());
                case "own" -> own.computeIfAbsent(Integer.parseInt(parts[1]), k -> new HashMap<>()).put(parts[2], e.getValue());
                case "average" -> averages.computeIfAbsent(Integer.parseInt(parts[1]), k -> new LinkedHashMap<>()).put(parts[2], e.getValue());
                default -> throw new IllegalArgumentException(file + ": unknown extra state '" + e.getKey() + "' for a Spark run");
            }
        }
        d.config.optimizer().loadState(optimizer);
        for (int i = 0; i < d.regularizers.size(); i++) {
            Regularizer r = d.regularizers.get(i);
            if (r instanceof AnchoredRegularizer a && anchors.containsKey(i)) a.setAnchors(anchors.get(i));
            if (r instanceof LearnableRegularizer l) {
                Map<String, Tensor> values = own.getOrDefault(i, Map.of());
                for (Parameter p : l.ownParameters()) {
                    Tensor v = values.get(p.name());
                    if (v != null) p.value().copyFrom(v);
                }
                Map<String, double[]> state = new HashMap<>();
                String prefix = "own_state/" + i + "/";
                c.float64State().forEach((k, v) -> {
                    if (k.startsWith(prefix)) state.put(k.substring(prefix.length()), v.data());
                });
                // an older version kept the state as comma-joined Double.toString text in the metadata
                String legacy = PREFIX + "own/" + i + "/";
                for (Map.Entry<String, String> e : c.metadata().entrySet()) {
                    if (e.getKey().startsWith(legacy)) state.put(e.getKey().substring(legacy.length()), legacyValues(file, e));
                }
                l.restoreOwnOptimizerState(state);
            }
            if (r instanceof WeightAverager w && averages.containsKey(i)) {
                w.restoreState(averages.get(i), Long.parseLong(c.metadata().getOrDefault(PREFIX + "average/" + i + "/count", "0")));
            }
        }
        trainer.resumeAt(Long.parseLong(c.metadata().get(PREFIX + "step")), Integer.parseInt(c.metadata().get(PREFIX + "epoch")));
    }

    private static double[] legacyValues(Path file, Map.Entry<String, String> e) throws CorruptDataException {
        String[] parts = e.getValue().isEmpty() ? new String[0] : e.getValue().split(",", -1);
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Double.parseDouble(parts[i]);
            } catch (NumberFormatException bad) {
                throw new CorruptDataException(file + ": metadata " + e.getKey() + " holds '" + parts[i] + "', expected comma-separated numbers");
            }
        }
        return out;
    }

    /** @return the settings a resumed run must share, keyed as in the checkpoint's metadata */
    static Map<String, String> settings(SparkTrainingConfig c) {
        Map<String, String> m = new TreeMap<>();
        m.put(PREFIX + "model", c.model().describe());
        m.put(PREFIX + "optimizer", c.optimizer());
        m.put(PREFIX + "regularizers", c.regularizers().isEmpty() ? "none"
                : String.join(" ; ", c.regularizers().stream().map(RegularizerSource::describe).toList()));
        m.put(PREFIX + "loss", c.loss());
        m.put(PREFIX + "batch", Integer.toString(c.batchSize()));
        m.put(PREFIX + "sync_every", Integer.toString(c.syncEvery()));
        m.put(PREFIX + "workers", Integer.toString(c.workers()));
        m.put(PREFIX + "seed", Long.toString(c.seed()));
        m.put(PREFIX + "shuffle", Boolean.toString(c.shuffle()));
        return m;
    }
}
