package dev.regula.examples.cli;

import dev.regula.api.param.Parameter;
import dev.regula.api.regularizer.LearnableRegularizer;
import dev.regula.api.regularizer.Regularizer;
import dev.regula.api.regularizer.WeightAverager;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.checkpoint.Checkpoint;
import dev.regula.core.regularizer.AnchoredRegularizer;
import dev.regula.core.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checkpoints of a training run: parameters (the model's and learnable regularizers'), optimizer
 * state, the references θ₀ of anchored regularizers such as {@code soft-anchor}, and the position
 * (step, epoch) with the run's settings in the metadata, so that a resumed run continues exactly
 * where the saved one was and refuses different settings.
 *
 * <p>Anchors are stored as extra state under {@code anchor/<index of the regularizer>/<parameter>};
 * optimizer state keys always contain {@code #}, anchor keys never do, so the two cannot collide.
 * Without them a resumed {@code soft-anchor(to=init)} would capture the resumed weights as its
 * reference instead of the initial ones. The own optimizer state of learnable regularizers
 * (soft-weight-sharing's Adam moments and step count) is text in the metadata under
 * {@code regularizer/<index of the regularizer>/<key>}, so that its doubles read back exactly.
 * The averages of weight averagers ({@code ema}, {@code swa}) are extra state under
 * {@code average/<index of the regularizer>/<parameter>}, their update count metadata under
 * {@code average/<index>/count}.
 */
final class Resume {
    private static final String ANCHOR_PREFIX = "anchor/";
    /** Metadata keys of learnable regularizers' optimizer state: {@code regularizer/<index>/<key>}. */
    private static final String REGULARIZER_STATE_PREFIX = "regularizer/";
    /** Extra state and metadata of weight averagers: {@code average/<index>/<parameter>} and {@code average/<index>/count}. */
    private static final String AVERAGE_PREFIX = "average/";

    private Resume() {
    }

    static void save(Path file, Trainer trainer, Map<String, String> settings) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>(settings);
        meta.put("step", String.valueOf(trainer.step()));
        meta.put("epoch", String.valueOf(trainer.epoch()));
        Map<String, Tensor> extra = new LinkedHashMap<>(trainer.config().optimizer().state());
        List<Regularizer> regularizers = trainer.config().regularizers();
        for (int i = 0; i < regularizers.size(); i++) {
            int index = i;
            if (regularizers.get(i) instanceof AnchoredRegularizer anchored) {
                for (Parameter p : trainer.model().parameters()) {
                    anchored.anchor(p.name()).ifPresent(t -> extra.put(ANCHOR_PREFIX + index + "/" + p.name(), t));
                }
            }
            if (regularizers.get(i) instanceof LearnableRegularizer learnable) {
                learnable.ownOptimizerState().forEach((key, value) -> meta.put(REGULARIZER_STATE_PREFIX + index + "/" + key, value));
            }
            if (regularizers.get(i) instanceof WeightAverager averager) {
                averager.state().forEach((name, t) -> extra.put(AVERAGE_PREFIX + index + "/" + name, t));
                meta.put(AVERAGE_PREFIX + index + "/count", String.valueOf(averager.count()));
            }
        }
        Checkpoint.save(file, trainer.pipeline().allParameters(), extra, meta);
    }

    /**
     * Reads a checkpoint once, for both {@link #savedEpoch} and {@link #restore}.
     *
     * @return the checkpoint at {@code file}, or null if there is none ({@link #restore} then
     *     explains the problem)
     */
    static Checkpoint find(Path file) throws IOException {
        return Files.exists(file) ? Checkpoint.load(file) : null;
    }

    /**
     * @param c a checkpoint from {@link #find}, or null
     * @return the epochs completed in {@code c}, or Integer.MAX_VALUE if there is none or it names
     *     no epoch ({@link #restore} then explains the problem)
     */
    static int savedEpoch(Checkpoint c) {
        String epoch = c == null ? null : c.metadata().get("epoch");
        try {
            return epoch == null ? Integer.MAX_VALUE : Integer.parseInt(epoch);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    /**
     * @param file where {@code c} was read from (for messages)
     * @param c the checkpoint from {@link #find}, or null if there was none
     */
    static void restore(Path file, Checkpoint c, Trainer trainer, Map<String, String> settings) {
        if (c == null) {
            throw new IllegalArgumentException("--resume: no checkpoint at " + file + "; run without --resume first or pass the --out of that run");
        }
        for (Map.Entry<String, String> e : settings.entrySet()) {
            String saved = c.metadata().get(e.getKey());
            if (!e.getValue().equals(saved)) {
                throw new IllegalArgumentException("--resume: the checkpoint " + file + " was written with " + e.getKey() + "=" + saved
                        + " but this run has " + e.getKey() + "=" + e.getValue() + "; use the same settings to resume");
            }
        }
        Map<String, Tensor> optimizerState = new LinkedHashMap<>();
        List<Regularizer> regularizers = trainer.config().regularizers();
        Map<Integer, Map<String, Tensor>> averages = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : c.extraState().entrySet()) {
            if (e.getKey().startsWith(AVERAGE_PREFIX)) {
                RegularizerKey key = regularizerKey(file, e.getKey(), AVERAGE_PREFIX, regularizers, WeightAverager.class, "average",
                        "weight-averaging");
                averages.computeIfAbsent(key.index(), i -> new LinkedHashMap<>()).put(key.rest(), e.getValue());
                continue;
            }
            if (!e.getKey().startsWith(ANCHOR_PREFIX)) {
                optimizerState.put(e.getKey(), e.getValue());
                continue;
            }
            RegularizerKey key = regularizerKey(file, e.getKey(), ANCHOR_PREFIX, regularizers, AnchoredRegularizer.class, "anchor",
                    "anchored");
            ((AnchoredRegularizer) regularizers.get(key.index())).setAnchor(key.rest(), e.getValue());
        }
        // after the anchors: a learnable anchor's own parameters exist only once it is set
        c.restoreInto(trainer.pipeline().allParameters());
        restoreRegularizerStates(file, c, regularizers);
        restoreAverages(file, c, regularizers, averages);
        trainer.config().optimizer().loadState(optimizerState);
        trainer.resumeAt(Long.parseLong(c.metadata().get("step")), Integer.parseInt(c.metadata().get("epoch")));
    }

    /** Hands each learnable regularizer the optimizer state saved under its index. */
    private static void restoreRegularizerStates(Path file, Checkpoint c, List<Regularizer> regularizers) {
        Map<Integer, Map<String, String>> byIndex = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : c.metadata().entrySet()) {
            if (!e.getKey().startsWith(REGULARIZER_STATE_PREFIX)) continue;
            RegularizerKey key = regularizerKey(file, e.getKey(), REGULARIZER_STATE_PREFIX, regularizers,
                    LearnableRegularizer.class, "regularizer", "learnable");
            byIndex.computeIfAbsent(key.index(), i -> new LinkedHashMap<>()).put(key.rest(), e.getValue());
        }
        for (int i = 0; i < regularizers.size(); i++) {
            if (!(regularizers.get(i) instanceof LearnableRegularizer learnable)) continue;
            Map<String, String> saved = byIndex.getOrDefault(i, Map.of());
            if (saved.isEmpty() && !learnable.ownOptimizerState().isEmpty()) {
                System.getLogger(Resume.class.getName()).log(System.Logger.Level.WARNING, "--resume: the checkpoint " + file
                        + " holds no optimizer state of " + learnable.name() + " (written by an older version): it restarts"
                        + " from zero, so the resumed run will not end bit-identical to an uninterrupted one");
            }
            try {
                learnable.restoreOwnOptimizerState(saved);
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException("--resume: the checkpoint " + file + ": " + bad.getMessage(), bad);
            }
        }
    }

    /** Hands each weight averager the averages and update count saved under its index. */
    private static void restoreAverages(Path file, Checkpoint c, List<Regularizer> regularizers,
                                        Map<Integer, Map<String, Tensor>> averages) {
        for (int i = 0; i < regularizers.size(); i++) {
            if (!(regularizers.get(i) instanceof WeightAverager averager)) continue;
            String count = c.metadata().get(AVERAGE_PREFIX + i + "/count");
            try {
                averager.restoreState(averages.getOrDefault(i, Map.of()), count == null ? 0 : Long.parseLong(count));
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException("--resume: the checkpoint " + file + " has no usable state of " + averager.spec()
                        + ": " + bad.getMessage(), bad);
            }
        }
    }

    /** A checkpoint key {@code <prefix><index of the regularizer>/<rest>}, split. */
    private record RegularizerKey(int index, String rest) {
    }

    /**
     * Splits a checkpoint key {@code <prefix><index>/<rest>} and checks that the index names a
     * regularizer of this run of the given kind.
     *
     * @throws IllegalArgumentException naming the key and the kind if it does not
     */
    private static RegularizerKey regularizerKey(Path file, String key, String prefix, List<Regularizer> regularizers,
                                                 Class<?> kind, String stateName, String kindName) {
        String rest = key.substring(prefix.length());
        int slash = rest.indexOf('/');
        int index = slash > 0 ? parseIndex(rest.substring(0, slash)) : -1;
        if (index < 0 || index >= regularizers.size() || !kind.isInstance(regularizers.get(index))) {
            throw new IllegalArgumentException("--resume: the checkpoint " + file + " has " + stateName + " state '" + key
                    + "' that matches no " + kindName + " regularizer of this run; use the same --reg settings to resume");
        }
        return new RegularizerKey(index, rest.substring(slash + 1));
    }

    private static int parseIndex(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
