package dev.regula.examples.cli;

import dev.regula.api.CorruptDataException;
import dev.regula.api.param.Parameter;
import dev.regula.api.regularizer.LearnableRegularizer;
import dev.regula.api.regularizer.Regularizer;
import dev.regula.api.regularizer.WeightAverager;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.checkpoint.Checkpoint;
import dev.regula.core.regularizer.AnchoredRegularizer;
import dev.regula.core.train.Trainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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
        meta.put(OPTIMIZER_STATE, String.join(",", new TreeSet<>(extra.keySet())));
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

    /** Metadata key of the optimizer state's tensor names at the save, to notice missing or renamed state. */
    static final String OPTIMIZER_STATE = "optimizer_state";
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
        Checkpoint c = Checkpoint.load(file);
        long step = whole(file, c, "step", Long.MAX_VALUE);
        long epoch = whole(file, c, "epoch", Integer.MAX_VALUE);
        if (epoch > step) {
            throw new CorruptDataException("--resume: the checkpoint " + file + " has corrupt metadata: epoch=" + epoch + " after only step="
                    + step + " (every epoch takes at least one step)");
        }
        return c;
    }

    private static long whole(Path file, Checkpoint c, String key, long max) {
        String text = c.metadata().get(key);
        long v;
        try {
            v = text == null ? -1 : Long.parseLong(text);
        } catch (NumberFormatException e) {
            v = -1;
        }
        if (v < 0 || v > max) {
            throw new CorruptDataException("--resume: the checkpoint " + file + " has corrupt metadata: " + key + "="
                    + (text == null ? "(missing)" : "'" + text + "'") + ", expected a whole number in [0, " + max + "]");
        }
        return v;
    }

    /**
     * @param c a checkpoint from {@link #read}
     * @return the epochs completed in {@code c}
     */
    static int savedEpoch(Checkpoint c) {
        return Integer.parseInt(c.metadata().get("epoch"));
    }

    /**
     * Checks that {@code c} was written with {@code settings} and restores the trainer from it. It
     * changes the trainer only (no file), so a refusal leaves the output folder as it was.
     * Continuation that would not be exact is refused (other settings, optimizer state missing or
     * renamed against what the checkpoint recorded) or, where an older checkpoint does not record
     * enough to tell, reported on {@code warn}.
     *
     * @param file where {@code c} was read from (for messages)
     * @param c the checkpoint from {@link #read}
     * @param warn where warnings go (standard error)
     */
    static void restore(Path file, Checkpoint c, Trainer trainer, Map<String, String> settings, PrintWriter warn) {
        for (Map.Entry<String, String> e : settings.entrySet()) {
            String saved = c.metadata().get(e.getKey());
            if (saved == null) saved = DEFAULTS_WHEN_ABSENT.get(e.getKey());
            if (saved == null && NEWER_SETTINGS.contains(e.getKey())) {
                warn.println("regula: warning: --resume: the checkpoint " + file + " (from an older version) does not record " + e.getKey()
                        + "; this run's " + e.getKey() + "=" + e.getValue() + " cannot be checked against it");
                continue;
            }
            if (!e.getValue().equals(saved)) {
                throw new IllegalArgumentException("--resume: the checkpoint " + file + " was written with " + e.getKey() + "=" + saved
                        + " but this run has " + e.getKey() + "=" + e.getValue() + "; use the same settings to resume");
            }
        }
        Map<String, Tensor> optimizerState = new LinkedHashMap<>();
        List<Regularizer> regularizers = trainer.config().regularizers();
        // checked in full before the trainer is changed; applied after the parameters
        Map<Integer, AverageState> averages = averageStates(file, c, trainer, regularizers, warn);
        for (Map.Entry<String, Tensor> e : c.extraState().entrySet()) {
            if (e.getKey().startsWith(AVERAGE_PREFIX)) continue;
            if (!e.getKey().startsWith(ANCHOR_PREFIX)) {
                optimizerState.put(e.getKey(), e.getValue());
                continue;
            }
            RegularizerKey key = regularizerKey(file, e.getKey(), ANCHOR_PREFIX, regularizers, AnchoredRegularizer.class, "anchor",
                    "anchored");
            ((AnchoredRegularizer) regularizers.get(key.index())).setAnchor(key.rest(), e.getValue());
        }
        checkOptimizerState(file, c, optimizerState.keySet(), warn);
        // after the anchors: a learnable anchor's own parameters exist only once it is set
        c.restoreInto(trainer.pipeline().allParameters());
        restoreRegularizerStates(file, c, regularizers, warn);
        averages.forEach((index, state) -> ((WeightAverager) regularizers.get(index)).restoreState(state.averages(), state.count()));
        try {
            trainer.config().optimizer().loadState(optimizerState);
        } catch (IllegalArgumentException bad) {
            throw new IllegalArgumentException("--resume: the checkpoint " + file + ": " + bad.getMessage()
                    + "; use the same --model and --optimizer to resume", bad);
        }
        trainer.resumeAt(Long.parseLong(c.metadata().get("step")), Integer.parseInt(c.metadata().get("epoch")));
    }

    /**
     * The optimizer state must be exactly what the checkpoint recorded at its save: a tensor
     * missing or renamed would restart that moment or velocity at zero without a word.
     */
    private static void checkOptimizerState(Path file, Checkpoint c, Set<String> present, PrintWriter warn) {
        String recorded = c.metadata().get(OPTIMIZER_STATE);
        if (recorded == null) {
            if (present.isEmpty() && !"0".equals(c.metadata().get("step"))) {
                warn.println("regula: warning: --resume: the checkpoint " + file + " holds no optimizer state and (written by an older"
                        + " version) does not record whether it should: if the optimizer keeps state (momentum, Adam's moments) it"
                        + " restarts from zero and the run will not continue exactly");
            }
            return;
        }
        Set<String> expected = new TreeSet<>(recorded.isEmpty() ? List.of() : List.of(recorded.split(",")));
        Set<String> found = new TreeSet<>(present);
        if (!expected.equals(found)) {
            Set<String> missing = new TreeSet<>(expected);
            missing.removeAll(found);
            Set<String> extra = new TreeSet<>(found);
            extra.removeAll(expected);
            throw new CorruptDataException("--resume: the checkpoint " + file + " was saved with optimizer state " + expected + " but holds "
                    + found + (missing.isEmpty() ? "" : "; missing " + missing) + (extra.isEmpty() ? "" : "; unexpected " + extra)
                    + "; resuming would restart that state from zero, so the run would not continue exactly");
        }
    }

    /** Hands each learnable regularizer the optimizer state saved under its index. */
    private static void restoreRegularizerStates(Path file, Checkpoint c, List<Regularizer> regularizers, PrintWriter warn) {
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
                warn.println("regula: warning: --resume: the checkpoint " + file
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

    /** What a checkpoint holds for one weight averager: its averages by parameter name and its update count. */
    private record AverageState(Map<String, Tensor> averages, long count) {
    }

    /**
     * Reads and checks the state of every weight averager of this run ({@code average/<index>/...})
     * without changing anything: each key must name a weight averager of the run, each count be a
     * whole number, and a non-zero count come with an average of exactly the model's parameters,
     * each of its parameter's shape (what {@code ema}/{@code swa} keep). A checkpoint without the
     * state of an averager (an older version) restarts that average, with a warning.
     *
     * @return regularizer index → its saved state, for every weight averager of the run
     * @throws IllegalArgumentException if a key names no weight averager of this run (other --reg, exit 2)
     * @throws CorruptDataException if a count or an average does not fit (exit 3)
     */
    private static Map<Integer, AverageState> averageStates(Path file, Checkpoint c, Trainer trainer, List<Regularizer> regularizers,
                                                            PrintWriter warn) {
        Map<Integer, Map<String, Tensor>> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : c.extraState().entrySet()) {
            if (!e.getKey().startsWith(AVERAGE_PREFIX)) continue;
            RegularizerKey key = regularizerKey(file, e.getKey(), AVERAGE_PREFIX, regularizers, WeightAverager.class, "average",
                    "weight-averaging");
            tensors.computeIfAbsent(key.index(), i -> new LinkedHashMap<>()).put(key.rest(), e.getValue());
        }
        Map<Integer, Long> counts = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : c.metadata().entrySet()) {
            if (!e.getKey().startsWith(AVERAGE_PREFIX)) continue;
            RegularizerKey key = regularizerKey(file, e.getKey(), AVERAGE_PREFIX, regularizers, WeightAverager.class, "average",
                    "weight-averaging");
            if (!key.rest().equals("count")) {
                throw new CorruptDataException("--resume: the checkpoint " + file + " has unknown metadata '" + e.getKey()
                        + "'; a weight averager records only " + AVERAGE_PREFIX + key.index() + "/count");
            }
            counts.put(key.index(), whole(file, c, e.getKey(), Long.MAX_VALUE));
        }
        Map<String, Tensor> parameters = new LinkedHashMap<>();
        for (Parameter p : trainer.model().parameters()) parameters.put(p.name(), p.value());
        Map<Integer, AverageState> out = new LinkedHashMap<>();
        for (int i = 0; i < regularizers.size(); i++) {
            if (!(regularizers.get(i) instanceof WeightAverager averager)) continue;
            Map<String, Tensor> saved = tensors.getOrDefault(i, Map.of());
            Long count = counts.get(i);
            if (count == null) {
                if (!saved.isEmpty()) {
                    throw new CorruptDataException("--resume: the checkpoint " + file + " holds averages of " + averager.spec()
                            + " but no " + AVERAGE_PREFIX + i + "/count");
                }
                if (!"0".equals(c.metadata().get("step"))) {
                    warn.println("regula: warning: --resume: the checkpoint " + file + " holds no average of " + averager.spec()
                            + " (written by an older version or without it): the average restarts from the resumed weights");
                }
                count = 0L;
            }
            if ((count == 0) != saved.isEmpty()
                    || (count > 0 && !saved.keySet().equals(parameters.keySet()))) {
                throw new CorruptDataException("--resume: the checkpoint " + file + " holds averages of " + averager.spec() + " for "
                        + new TreeSet<>(saved.keySet()) + " with update count " + count + "; expected "
                        + (count == 0 ? "none" : "one for each model parameter " + new TreeSet<>(parameters.keySet())));
            }
            for (Map.Entry<String, Tensor> e : saved.entrySet()) {
                Tensor live = parameters.get(e.getKey());
                if (!java.util.Arrays.equals(live.shape(), e.getValue().shape())) {
                    throw new CorruptDataException("--resume: the checkpoint " + file + " holds the average of " + e.getKey() + " for "
                            + averager.spec() + " with shape " + java.util.Arrays.toString(e.getValue().shape()) + " but the parameter has "
                            + java.util.Arrays.toString(live.shape()));
                }
            }
            out.put(i, new AverageState(saved, count));
        }
        return out;
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
