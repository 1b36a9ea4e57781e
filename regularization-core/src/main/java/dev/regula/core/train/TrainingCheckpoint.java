package dev.regula.core.train;

import dev.regula.api.CorruptDataException;
import dev.regula.api.param.Parameter;
import dev.regula.api.regularizer.LearnableRegularizer;
import dev.regula.api.regularizer.OutputRegularizer;
import dev.regula.api.regularizer.Regularizer;
import dev.regula.api.regularizer.StatefulRegularizer;
import dev.regula.api.regularizer.WeightAverager;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.checkpoint.Checkpoint;
import dev.regula.core.checkpoint.Float64Tensor;
import dev.regula.api.regularizer.AnchoredRegularizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The whole state of a training run in one safetensors {@link Checkpoint}, so that a run restored
 * from it continues bit for bit like the run that was never interrupted, for any model:
 *
 * <ul>
 *   <li>the parameters of the model and of learnable regularizers (under their own names, so the
 *       file loads as a PyTorch state dict);</li>
 *   <li>the layers' non-trainable state ({@link dev.regula.api.model.Layer#state()}: BatchNorm's
 *       {@code <layer>.running_mean}, {@code <layer>.running_var});</li>
 *   <li>the optimizer's state (keys containing {@code #}) and the list of its names at the save
 *       (metadata {@code optimizer_state}), so that state missing or renamed is noticed;</li>
 *   <li>the references θ₀ of anchored regularizers ({@code anchor/<index>/<parameter>}), without
 *       which a resumed {@code soft-anchor(to=init)} would take the resumed weights as θ₀;</li>
 *   <li>the own optimizer state of learnable and output regularizers (float64 tensors
 *       {@code regularizer/<index>/<key>}, {@link Float64Tensor}, so that their doubles read back
 *       exactly; a checkpoint of an older version that kept them as comma-joined text in the
 *       metadata under the same keys still restores);</li>
 *   <li>the averages of weight averagers ({@code average/<index>/<parameter>}, count in the metadata);</li>
 *   <li>the position ({@code step}, {@code epoch}) and the run's settings in the metadata, checked at restore.</li>
 * </ul>
 * {@code <index>} is the position of the regularizer in the list the pipeline was given.
 *
 * <p>A run of several networks (a GAN's generator and discriminator) saves one {@link Part} per
 * network, each under its own key prefix ({@code g/}, {@code d/}); a single network's prefix is
 * empty. Parameter names must be distinct across the parts.
 *
 * <p>Restoring checks first and changes the run only once the checkpoint fits: other settings, a
 * regularizer state that matches no regularizer of the run, optimizer state that differs from what
 * was saved are refused. Where a checkpoint of an older version does not record enough to tell,
 * the restore goes on and says so through the warning sink.
 */
public final class TrainingCheckpoint {
    /** Metadata key of the optimizer state's tensor names at the save (after the part's prefix). */
    public static final String OPTIMIZER_STATE = "optimizer_state";
    /** Metadata key of the trainer's learning-rate factor, when a callback changed it. */
    public static final String LR_SCALE = "lr_scale";
    private static final String ANCHOR_PREFIX = "anchor/";
    private static final String REGULARIZER_STATE_PREFIX = "regularizer/";
    private static final String AVERAGE_PREFIX = "average/";

    private TrainingCheckpoint() {
    }

    /**
     * One network of a run: its pipeline (parameters, optimizer, regularizers) and its layers' state.
     *
     * @param prefix the prefix of its keys in the checkpoint: empty for a single network, else
     *     distinct per part and ending in {@code /}
     * @param pipeline the network's pipeline
     * @param layerState the network's {@link dev.regula.api.model.Layer#state()}, live
     */
    public record Part(String prefix, RegularizationPipeline pipeline, Map<String, Tensor> layerState) {
        /**
         * @throws IllegalArgumentException if the prefix is neither empty nor ends in {@code /}
         */
        public Part {
            Objects.requireNonNull(prefix, "prefix");
            Objects.requireNonNull(pipeline, "pipeline");
            layerState = Map.copyOf(layerState);
            if (!prefix.isEmpty() && !prefix.endsWith("/")) {
                throw new IllegalArgumentException("a part's prefix must be empty or end in '/', got '" + prefix + "'");
            }
        }

        /**
         * @param trainer a trainer
         * @return the trainer's single part (empty prefix)
         */
        public static Part of(Trainer trainer) {
            return new Part("", trainer.pipeline(), trainer.model().state());
        }
    }

    /**
     * How the run's settings are compared with the checkpoint's.
     *
     * @param values the run's settings; each must equal the checkpoint's (checked in this map's
     *     order, the first difference reported)
     * @param defaultsWhenAbsent for settings added in a later version: the value a checkpoint that
     *     does not record them was necessarily written with
     * @param uncheckedWhenAbsent settings a checkpoint of an older version may lack: then not
     *     checked, with a warning
     */
    public record Settings(Map<String, String> values, Map<String, String> defaultsWhenAbsent, Set<String> uncheckedWhenAbsent) {
        /** Copies the maps; the values keep their order, the order in which they are checked. */
        public Settings {
            values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
            defaultsWhenAbsent = Map.copyOf(defaultsWhenAbsent);
            uncheckedWhenAbsent = Set.copyOf(uncheckedWhenAbsent);
        }

        /**
         * @param values the run's settings, to be equal to the checkpoint's
         * @return an exact check
         */
        public static Settings exact(Map<String, String> values) {
            return new Settings(values, Map.of(), Set.of());
        }
    }

    /**
     * Where a restored run continues.
     *
     * @param step optimizer steps done
     * @param epoch epochs completed
     */
    public record Position(long step, int epoch) {
    }

    /**
     * Saves a trainer's run atomically (a previous file stays whole if writing fails).
     *
     * @param file the checkpoint; its directory must exist
     * @param trainer the trainer
     * @param settings the run's settings, checked at restore
     * @throws IOException if writing fails
     */
    public static void save(Path file, Trainer trainer, Map<String, String> settings) throws IOException {
        checkSettingKeys(settings, List.of(""), true);
        Map<String, String> meta = new LinkedHashMap<>(settings);
        if (trainer.learningRateScale() != 1) meta.put(LR_SCALE, Double.toString(trainer.learningRateScale()));
        write(file, List.of(Part.of(trainer)), trainer.step(), trainer.epoch(), meta);
    }

    /**
     * Restores a trainer from a checkpoint written by {@link #save(Path, Trainer, Map)} with the
     * same settings, and sets its position.
     *
     * @param file the checkpoint
     * @param trainer a new trainer of the same model and configuration
     * @param settings the run's settings, compared exactly
     * @param warn receives a warning where the checkpoint cannot be checked in full
     * @return the position the trainer continues from
     * @throws IOException if the file cannot be read
     * @throws CorruptDataException if the file is not a valid training checkpoint, or lacks a
     *     parameter or state of this model (a checkpoint of another model)
     * @throws dev.regula.api.ShapeMismatchException if a stored parameter's shape differs from the model's
     * @throws IllegalArgumentException if it was written with other settings, regularizers or optimizer
     */
    public static Position restore(Path file, Trainer trainer, Map<String, String> settings, Consumer<String> warn)
            throws IOException {
        Checkpoint c = read(file);
        Position at = restore(file, c, List.of(Part.of(trainer)), Settings.exact(settings), warn);
        restorePosition(file, c, trainer);
        return at;
    }

    /**
     * Sets a trainer restored by {@link #restore(Path, Checkpoint, List, Settings, Consumer)} to the
     * checkpoint's position and learning-rate factor.
     *
     * @param file where {@code c} was read from, for messages
     * @param c the checkpoint
     * @param trainer the trainer
     * @throws CorruptDataException if the saved factor is not a finite number &gt; 0
     */
    public static void restorePosition(Path file, Checkpoint c, Trainer trainer) throws CorruptDataException {
        String scale = c.metadata().getOrDefault(LR_SCALE, "1.0");
        double s;
        try {
            s = Double.parseDouble(scale);
        } catch (NumberFormatException e) {
            s = Double.NaN;
        }
        if (!(s > 0) || Double.isInfinite(s)) {
            throw new CorruptDataException("the checkpoint " + file + " has corrupt metadata: " + LR_SCALE + "='" + scale
                    + "', expected a finite number > 0");
        }
        Position at = position(c);
        trainer.setLearningRateScale(s);
        trainer.resumeAt(at.step(), at.epoch());
    }

    /**
     * Saves the parts of a run atomically.
     *
     * @param file the checkpoint; its directory must exist
     * @param parts the networks of the run, prefixes distinct
     * @param step optimizer steps done
     * @param epoch epochs completed
     * @param settings the run's settings, checked at restore
     * @throws IOException if writing fails
     */
    public static void save(Path file, List<Part> parts, long step, int epoch, Map<String, String> settings) throws IOException {
        checkSettingKeys(settings, parts.stream().map(Part::prefix).toList(), false);
        write(file, parts, step, epoch, settings);
    }

    private static void write(Path file, List<Part> parts, long step, int epoch, Map<String, String> settings) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>(settings);
        meta.put("step", String.valueOf(step));
        meta.put("epoch", String.valueOf(epoch));
        Map<String, Tensor> extra = new LinkedHashMap<>();
        Map<String, Float64Tensor> exact = new LinkedHashMap<>();
        List<Parameter> params = new ArrayList<>();
        for (Part part : parts) {
            String px = part.prefix();
            Map<String, Tensor> optimizer = part.pipeline().optimizer().state();
            optimizer.forEach((k, t) -> extra.put(px + k, t));
            meta.put(px + OPTIMIZER_STATE, String.join(",", new TreeSet<>(optimizer.keySet())));
            part.layerState().forEach((k, t) -> extra.put(px + k, t));
            List<Regularizer> regularizers = part.pipeline().regularizers();
            for (int i = 0; i < regularizers.size(); i++) {
                int index = i;
                if (regularizers.get(i) instanceof AnchoredRegularizer anchored) {
                    for (Parameter p : part.pipeline().parameters()) {
                        anchored.anchor(p.name()).ifPresent(t -> extra.put(px + ANCHOR_PREFIX + index + "/" + p.name(), t));
                    }
                }
                OwnState own = OwnState.of(regularizers.get(i));
                if (own != null) {
                    own.state().get().forEach((key, values) ->
                            exact.put(px + REGULARIZER_STATE_PREFIX + index + "/" + key, Float64Tensor.vector(values)));
                }
                if (regularizers.get(i) instanceof WeightAverager averager) {
                    averager.state().forEach((name, t) -> extra.put(px + AVERAGE_PREFIX + index + "/" + name, t));
                    meta.put(px + AVERAGE_PREFIX + index + "/count", String.valueOf(averager.count()));
                }
            }
            params.addAll(part.pipeline().allParameters());
        }
        Checkpoint.save(file, params, extra, exact, meta);
    }

    /**
     * Refuses settings whose keys the checkpoint keeps for itself ({@code step}, {@code epoch},
     * {@value #LR_SCALE}, and per part {@value #OPTIMIZER_STATE} and the regularizer, anchor and
     * average keys): a checkpoint saved with one could not be restored, or would restore the wrong
     * value. {@value #LR_SCALE} is refused where the trainer's own factor is saved ({@link #save(Path, Trainer, Map)}).
     */
    private static void checkSettingKeys(Map<String, String> settings, List<String> prefixes, boolean learningRateScale) {
        java.util.Objects.requireNonNull(settings, "settings");
        for (String key : settings.keySet()) {
            boolean reserved = key.equals("step") || key.equals("epoch") || (learningRateScale && key.equals(LR_SCALE));
            for (String px : prefixes) {
                reserved |= key.equals(px + OPTIMIZER_STATE) || key.startsWith(px + AVERAGE_PREFIX)
                        || key.startsWith(px + REGULARIZER_STATE_PREFIX) || key.startsWith(px + ANCHOR_PREFIX);
            }
            if (reserved) {
                throw new IllegalArgumentException("the setting '" + key + "' is a key the training checkpoint keeps for itself"
                        + " (step, epoch, " + LR_SCALE + ", " + OPTIMIZER_STATE + ", " + AVERAGE_PREFIX + "..., " + REGULARIZER_STATE_PREFIX
                        + "..., " + ANCHOR_PREFIX + "...); name the setting otherwise");
            }
        }
    }

    /**
     * Loads a checkpoint and checks its position before anything is changed.
     *
     * @param file the checkpoint
     * @return the checkpoint
     * @throws IOException if it cannot be read
     * @throws CorruptDataException naming the file if it is not a valid checkpoint or its step and
     *     epoch are not whole numbers with epoch ≤ step
     */
    public static Checkpoint read(Path file) throws IOException {
        Checkpoint c = Checkpoint.load(file);
        long step = whole(file, c, "step", Long.MAX_VALUE);
        long epoch = whole(file, c, "epoch", Integer.MAX_VALUE);
        if (epoch > step) {
            throw new CorruptDataException("the checkpoint " + file + " has corrupt metadata: epoch=" + epoch + " after only step="
                    + step + " (every epoch takes at least one step)");
        }
        return c;
    }

    /**
     * @param c a checkpoint from {@link #read}
     * @return the position it was saved at
     */
    public static Position position(Checkpoint c) {
        return new Position(Long.parseLong(c.metadata().get("step")), Integer.parseInt(c.metadata().get("epoch")));
    }

    /**
     * Checks that {@code c} fits the run and restores every part from it (see the class comment).
     * The caller sets the position (e.g. {@link Trainer#resumeAt}).
     *
     * @param file where {@code c} was read from, for messages
     * @param c the checkpoint from {@link #read}
     * @param parts the run's networks, as saved
     * @param settings how to compare the settings
     * @param warn receives a warning where an older checkpoint does not record enough to check
     * @return the position saved
     * @throws IllegalArgumentException if the settings, the regularizers or the optimizer differ
     * @throws CorruptDataException if the checkpoint's state does not fit what it recorded
     * @throws dev.regula.api.ShapeMismatchException if a stored shape differs
     */
    public static Position restore(Path file, Checkpoint c, List<Part> parts, Settings settings, Consumer<String> warn)
            throws CorruptDataException {
        checkSettings(file, c, settings, warn);
        Set<String> prefixes = new TreeSet<>();
        for (Part p : parts) {
            if (!prefixes.add(p.prefix()) || (p.prefix().isEmpty() && parts.size() > 1)) {
                throw new IllegalArgumentException("the parts of a run need distinct, non-empty prefixes, got "
                        + parts.stream().map(Part::prefix).toList());
            }
        }
        List<PartState> states = new ArrayList<>();
        for (Part p : parts) states.add(check(file, c, p, parts.size() > 1, warn));
        for (PartState s : states) { // before anything changes: a checkpoint of another optimizer leaves the run as it was
            try {
                s.part().pipeline().optimizer().checkState(s.optimizerState());
            } catch (IllegalArgumentException | dev.regula.api.ShapeMismatchException bad) {
                throw new IllegalArgumentException("the checkpoint " + file + ": " + bad.getMessage()
                        + "; use the same model and optimizer to resume", bad);
            }
            checkRegularizerStates(file, s); // and so does one whose regularizer's own optimizer differs
        }
        List<Parameter> all = new ArrayList<>();
        for (PartState s : states) {
            // anchors first: a learnable anchor's own parameters exist only once it is set
            s.anchors().forEach((index, anchors) ->
                    anchors.forEach((name, t) -> ((AnchoredRegularizer) s.part().pipeline().regularizers().get(index)).setAnchor(name, t)));
            all.addAll(s.part().pipeline().allParameters());
        }
        c.restoreInto(all);
        for (PartState s : states) {
            List<Regularizer> regularizers = s.part().pipeline().regularizers();
            restoreRegularizerStates(file, s, warn);
            s.averages().forEach((index, a) -> ((WeightAverager) regularizers.get(index)).restoreState(a.averages(), a.count()));
            try {
                s.part().pipeline().optimizer().loadState(s.optimizerState());
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException("the checkpoint " + file + ": " + bad.getMessage()
                        + "; use the same model and optimizer to resume", bad);
            }
            s.layerState().forEach((name, saved) -> s.part().layerState().get(name).copyFrom(saved));
        }
        return position(c);
    }

    /**
     * Refuses, when a run of several parts is built, parameters of two parts under one name: a
     * checkpoint stores the parts' parameters side by side (two soft weight sharings, one on each
     * network of a GAN, keep their mixtures under the same names). Checked before any step, not
     * when the first checkpoint is written.
     *
     * @param parts the run's parts
     * @throws IllegalArgumentException naming the parameter and the two parts
     */
    public static void checkDistinctNames(List<Part> parts) {
        Map<String, String> owner = new LinkedHashMap<>();
        for (Part p : parts) {
            for (Parameter q : p.pipeline().allParameters()) {
                String before = owner.putIfAbsent(q.name(), p.prefix());
                if (before != null && !before.equals(p.prefix())) {
                    throw new IllegalArgumentException("the parts " + before + " and " + p.prefix() + " both hold a parameter named '"
                            + q.name() + "', and a checkpoint stores their parameters side by side; keep such a regularizer on one"
                            + " of them");
                }
            }
        }
    }

    /**
     * Checks a checkpoint's settings alone, as restoring it does first, so that a caller can refuse
     * a resume before it builds models or loads data.
     *
     * @param file the checkpoint's path, for messages
     * @param c the checkpoint ({@link #read})
     * @param settings what this run must share with it
     * @param warn receives a warning per setting an older checkpoint does not record and may go unchecked
     * @throws IllegalArgumentException naming the first setting that differs, or one that is not recorded
     */
    public static void checkSettings(Path file, Checkpoint c, Settings settings, Consumer<String> warn) {
        for (Map.Entry<String, String> e : settings.values().entrySet()) {
            String saved = c.metadata().get(e.getKey());
            if (saved == null) saved = settings.defaultsWhenAbsent().get(e.getKey());
            if (saved == null && settings.uncheckedWhenAbsent().contains(e.getKey())) {
                warn.accept("the checkpoint " + file + " (from an older version) does not record " + e.getKey()
                        + "; this run's " + e.getKey() + "=" + e.getValue() + " cannot be checked against it");
                continue;
            }
            if (saved == null) {
                throw new IllegalArgumentException("the checkpoint " + file + " does not record " + e.getKey() + " (this run has "
                        + e.getKey() + "=" + e.getValue() + "); resume it with the version that wrote it, or start afresh");
            }
            if (!sameSetting(e.getValue(), saved)) {
                throw new IllegalArgumentException("the checkpoint " + file + " was written with " + e.getKey() + "=" + saved
                        + " but this run has " + e.getKey() + "=" + e.getValue() + "; use the same settings to resume");
            }
        }
    }

    /**
     * Whether two texts name the same setting: equal, or equal once each spec in them is written
     * canonically ({@link #canonical}): spaces, the order of keys, the way a number is written and
     * the keys left at their defaults do not matter, so {@code mlp(hidden=64, batchnorm=true)} and
     * {@code MLP(batchnorm=true,hidden=64, activation=relu)} are one model, {@code sgd(lr=0.050)} and
     * {@code sgd(momentum=0, lr=5e-2, nesterov=false)} one optimizer, and {@code l2(lambda=1e-4); dropout(p=0.5)}
     * and {@code l2(lambda=1e-4) dropout(p=0.5)} one list of regularizers; words and paths are kept
     * as written, case and all. What a resume checks.
     *
     * @param a one setting's text
     * @param b another's
     * @return whether they are the same setting
     */
    public static boolean sameSetting(String a, String b) {
        return a.equals(b) || canonical(a).equals(canonical(b));
    }

    /**
     * @param setting a setting's text
     * @return for a setting that holds specs with arguments (one, or several separated by spaces or
     *     {@code ;}), each spec's canonical text joined by one space ({@code adam(lr=5e-4,beta1=0.5)}
     *     and {@code adam(lr=5e-4, beta1=0.5)} are the same setting); any other setting (a path, a
     *     word, a number) as it is, case and all
     */
    static String canonical(String setting) {
        if (setting.indexOf('(') < 0) return setting;
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < setting.length(); i++) {
            char ch = setting.charAt(i);
            if (ch == '(') depth++;
            if (ch == ')') depth--;
            if (depth == 0 && (ch == ';' || Character.isWhitespace(ch))) {
                addCanonical(parts, part);
                continue;
            }
            part.append(ch);
        }
        addCanonical(parts, part);
        return String.join(" ", parts);
    }

    private static void addCanonical(List<String> parts, StringBuilder part) {
        String text = part.toString().strip();
        part.setLength(0);
        if (text.isEmpty()) return;
        try {
            parts.add(canonicalSpec(withDefaults(dev.regula.api.spec.Spec.parse(text))));
        } catch (RuntimeException notASpec) {
            parts.add(text);
        }
    }

    /**
     * The spec with every key its provider's schema gives a default filled in, when exactly one
     * installed regularizer, optimizer or model provider has its name and the spec binds to it;
     * else as it is. So {@code sgd(lr=0.05)} and {@code sgd(lr=0.05, momentum=0, nesterov=false)}
     * are one setting.
     */
    private static dev.regula.api.spec.Spec withDefaults(dev.regula.api.spec.Spec spec) {
        List<dev.regula.api.spec.SpecSchema> schemas = new ArrayList<>();
        for (dev.regula.api.spec.NamedProvider<?> p : Providers.ALL) if (p.name().equals(spec.name())) schemas.add(p.schema());
        if (schemas.size() != 1) return spec;
        try {
            return schemas.getFirst().bind(spec).toSpec();
        } catch (RuntimeException unbound) {
            return spec; // a spec its provider refuses is compared as written (the run itself refuses it)
        }
    }

    /** The installed providers whose specs a setting may hold, looked up once. */
    private static final class Providers {
        static final List<dev.regula.api.spec.NamedProvider<?>> ALL;

        static {
            List<dev.regula.api.spec.NamedProvider<?>> all = new ArrayList<>();
            all.addAll(dev.regula.api.regularizer.Regularizers.installed().providers());
            all.addAll(dev.regula.api.optim.Optimizers.installed().providers());
            all.addAll(dev.regula.api.model.Models.installed().providers());
            ALL = List.copyOf(all);
        }
    }

    /**
     * @return the spec's text with its keys in alphabetical order and every number written as
     *     {@link Double#toString} writes its value ({@code 0.050}, {@code 5e-2} and {@code 0.05} alike),
     *     nested specs the same way
     */
    private static String canonicalSpec(dev.regula.api.spec.Spec spec) {
        if (spec.arguments().isEmpty()) return spec.name();
        StringBuilder b = new StringBuilder(spec.name()).append('(');
        boolean first = true;
        for (String key : new java.util.TreeSet<>(spec.arguments().keySet())) {
            if (!first) b.append(", ");
            first = false;
            b.append(key).append('=').append(switch (spec.get(key)) {
                case dev.regula.api.spec.SpecValue.Num n -> Double.toString(n.value());
                case dev.regula.api.spec.SpecValue.Call c -> canonicalSpec(c.spec());
                case dev.regula.api.spec.SpecValue v -> v.text();
            });
        }
        return b.append(')').toString();
    }

    /** What the checkpoint holds for one part, checked against it, by kind. */
    private record PartState(Part part, Map<String, Tensor> optimizerState, Map<String, Tensor> layerState,
                             Map<Integer, Map<String, Tensor>> anchors, Map<Integer, AverageState> averages,
                             Map<Integer, Map<String, double[]>> regularizerStates) {
    }

    private record AverageState(Map<String, Tensor> averages, long count) {
    }

    private static PartState check(Path file, Checkpoint c, Part part, boolean prefixed, Consumer<String> warn)
            throws CorruptDataException {
        String px = part.prefix();
        List<Regularizer> regularizers = part.pipeline().regularizers();
        Map<String, Tensor> optimizerState = new LinkedHashMap<>();
        Map<String, Tensor> layerState = new LinkedHashMap<>();
        Map<Integer, Map<String, Tensor>> anchors = new LinkedHashMap<>();
        Map<Integer, Map<String, Tensor>> averageTensors = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : c.extraState().entrySet()) {
            if (!e.getKey().startsWith(px)) continue;
            String key = e.getKey().substring(px.length());
            if (key.startsWith(AVERAGE_PREFIX)) {
                RegularizerKey k = regularizerKey(file, e.getKey(), px + AVERAGE_PREFIX, regularizers, WeightAverager.class::isInstance, "average",
                        "weight-averaging");
                averageTensors.computeIfAbsent(k.index(), i -> new LinkedHashMap<>()).put(k.rest(), e.getValue());
            } else if (key.startsWith(ANCHOR_PREFIX)) {
                RegularizerKey k = regularizerKey(file, e.getKey(), px + ANCHOR_PREFIX, regularizers, AnchoredRegularizer.class::isInstance, "anchor",
                        "anchored");
                anchors.computeIfAbsent(k.index(), i -> new LinkedHashMap<>()).put(k.rest(), e.getValue());
            } else if (part.layerState().containsKey(key)) {
                Tensor live = part.layerState().get(key);
                if (!live.sameShape(e.getValue())) {
                    throw new CorruptDataException("the checkpoint " + file + " holds the layer state " + e.getKey() + " with shape "
                            + Arrays.toString(e.getValue().shape()) + " but the model's has " + Arrays.toString(live.shape()));
                }
                layerState.put(key, e.getValue());
            } else {
                optimizerState.put(key, e.getValue());
            }
        }
        if (!layerState.isEmpty() && layerState.size() != part.layerState().size()) {
            Set<String> missing = new TreeSet<>(part.layerState().keySet());
            missing.removeAll(layerState.keySet());
            throw new CorruptDataException("the checkpoint " + file + " lacks the layer state " + missing
                    + " of the model (it holds " + new TreeSet<>(layerState.keySet()) + ")");
        }
        if (layerState.isEmpty() && !part.layerState().isEmpty()) {
            warn.accept("the checkpoint " + file + " holds no layer state (written by an older version): "
                    + new TreeSet<>(part.layerState().keySet()) + " continue from their current values, so the run will not"
                    + " continue exactly");
        }
        checkOptimizerState(file, c, px, optimizerState.keySet(), warn);
        Map<Integer, Map<String, double[]>> regularizerStates = new LinkedHashMap<>();
        for (Map.Entry<String, Float64Tensor> e : c.float64State().entrySet()) {
            if (!e.getKey().startsWith(px)) continue;
            if (!e.getKey().startsWith(px + REGULARIZER_STATE_PREFIX)) {
                throw new CorruptDataException("the checkpoint " + file + " holds the float64 tensor " + e.getKey()
                        + ", which is no state a training checkpoint keeps (only " + px + REGULARIZER_STATE_PREFIX + "<index>/<key>)");
            }
            RegularizerKey k = regularizerKey(file, e.getKey(), px + REGULARIZER_STATE_PREFIX, regularizers,
                    TrainingCheckpoint::keepsOwnState, "regularizer", "learnable, output or stateful");
            regularizerStates.computeIfAbsent(k.index(), i -> new LinkedHashMap<>()).put(k.rest(), e.getValue().data());
        }
        for (Map.Entry<String, String> e : c.metadata().entrySet()) {
            if (!e.getKey().startsWith(px + REGULARIZER_STATE_PREFIX)) continue;
            // an older version kept the state as comma-joined Double.toString text, which reads back exactly
            RegularizerKey k = regularizerKey(file, e.getKey(), px + REGULARIZER_STATE_PREFIX, regularizers,
                    TrainingCheckpoint::keepsOwnState, "regularizer", "learnable, output or stateful");
            Map<String, double[]> state = regularizerStates.computeIfAbsent(k.index(), i -> new LinkedHashMap<>());
            if (state.containsKey(k.rest())) {
                throw new CorruptDataException("the checkpoint " + file + " holds the regularizer state " + e.getKey()
                        + " twice, as a float64 tensor and as metadata text");
            }
            state.put(k.rest(), legacyValues(file, e.getKey(), e.getValue()));
        }
        Map<Integer, AverageState> averages = averageStates(file, c, part, averageTensors, warn);
        return new PartState(part, optimizerState, layerState, anchors, averages, regularizerStates);
    }

    /**
     * The optimizer state must be exactly what the checkpoint recorded at its save: a tensor
     * missing or renamed would restart that moment or velocity at zero without a word.
     */
    private static void checkOptimizerState(Path file, Checkpoint c, String px, Set<String> present, Consumer<String> warn)
            throws CorruptDataException {
        String recorded = c.metadata().get(px + OPTIMIZER_STATE);
        if (recorded == null) {
            if (present.isEmpty() && !"0".equals(c.metadata().get("step"))) {
                warn.accept("the checkpoint " + file + " holds no optimizer state" + (px.isEmpty() ? "" : " for " + px)
                        + " and (written by an older version) does not record whether it should: if the optimizer keeps state"
                        + " (momentum, Adam's moments) it restarts from zero and the run will not continue exactly");
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
            throw new CorruptDataException("the checkpoint " + file + " was saved with optimizer state " + expected + " but holds "
                    + found + (missing.isEmpty() ? "" : "; missing " + missing) + (extra.isEmpty() ? "" : "; unexpected " + extra)
                    + "; resuming would restart that state from zero, so the run would not continue exactly");
        }
    }

    /** Checks, changing nothing, that each regularizer keeping its own state accepts the state saved under its index. */
    private static void checkRegularizerStates(Path file, PartState s) {
        eachOwnState(file, s, (r, own, saved) -> own.check().accept(saved));
    }

    /** Hands each regularizer keeping its own state (learnable, output, stateful) the state saved under its index. */
    private static void restoreRegularizerStates(Path file, PartState s, Consumer<String> warn) {
        eachOwnState(file, s, (r, own, saved) -> {
            if (saved.isEmpty() && !own.state().get().isEmpty()) {
                warn.accept("the checkpoint " + file + " holds no state of " + r.name() + "'s own"
                        + " (written by an older version): it restarts afresh, so the resumed run will not end"
                        + " bit-identical to an uninterrupted one");
            }
            own.restore().accept(saved);
        });
    }

    /** What {@link #eachOwnState} does with one regularizer's own state and what the checkpoint saved of it. */
    @FunctionalInterface
    private interface OwnStateAction {
        void apply(Regularizer r, OwnState own, Map<String, double[]> saved);
    }

    /**
     * Runs the action for each regularizer of the part that keeps its own state, with the state
     * saved under its index (empty if none); a refusal names the checkpoint.
     */
    private static void eachOwnState(Path file, PartState s, OwnStateAction action) {
        List<Regularizer> regularizers = s.part().pipeline().regularizers();
        for (int i = 0; i < regularizers.size(); i++) {
            Regularizer r = regularizers.get(i);
            OwnState own = OwnState.of(r);
            if (own == null) continue;
            try {
                action.apply(r, own, s.regularizerStates().getOrDefault(i, Map.of()));
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException("the checkpoint " + file + ": " + bad.getMessage(), bad);
            }
        }
    }

    /**
     * Checks the state of every weight averager of the part without changing anything: each count
     * a whole number, a non-zero count with an average of exactly the model's parameters, each of
     * its parameter's shape. Without the state of an averager (an older version) its average restarts.
     */
    private static Map<Integer, AverageState> averageStates(Path file, Checkpoint c, Part part,
                                                            Map<Integer, Map<String, Tensor>> tensors, Consumer<String> warn)
            throws CorruptDataException {
        String px = part.prefix();
        List<Regularizer> regularizers = part.pipeline().regularizers();
        Map<Integer, Long> counts = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : c.metadata().entrySet()) {
            if (!e.getKey().startsWith(px + AVERAGE_PREFIX)) continue;
            RegularizerKey key = regularizerKey(file, e.getKey(), px + AVERAGE_PREFIX, regularizers, WeightAverager.class::isInstance, "average",
                    "weight-averaging");
            if (!key.rest().equals("count")) {
                throw new CorruptDataException("the checkpoint " + file + " has unknown metadata '" + e.getKey()
                        + "'; a weight averager records only " + px + AVERAGE_PREFIX + key.index() + "/count");
            }
            counts.put(key.index(), whole(file, c, e.getKey(), Long.MAX_VALUE));
        }
        Map<String, Tensor> parameters = new LinkedHashMap<>();
        for (Parameter p : part.pipeline().parameters()) parameters.put(p.name(), p.value());
        Map<Integer, AverageState> out = new LinkedHashMap<>();
        for (int i = 0; i < regularizers.size(); i++) {
            if (!(regularizers.get(i) instanceof WeightAverager averager)) continue;
            Map<String, Tensor> saved = tensors.getOrDefault(i, Map.of());
            Long count = counts.get(i);
            if (count == null) {
                if (!saved.isEmpty()) {
                    throw new CorruptDataException("the checkpoint " + file + " holds averages of " + averager.spec()
                            + " but no " + px + AVERAGE_PREFIX + i + "/count");
                }
                if (!"0".equals(c.metadata().get("step"))) {
                    warn.accept("the checkpoint " + file + " holds no average of " + averager.spec()
                            + " (written by an older version or without it): the average restarts from the resumed weights");
                }
                count = 0L;
            }
            if ((count == 0) != saved.isEmpty() || (count > 0 && !saved.keySet().equals(parameters.keySet()))) {
                throw new CorruptDataException("the checkpoint " + file + " holds averages of " + averager.spec() + " for "
                        + new TreeSet<>(saved.keySet()) + " with update count " + count + "; expected "
                        + (count == 0 ? "none" : "one for each model parameter " + new TreeSet<>(parameters.keySet())));
            }
            for (Map.Entry<String, Tensor> e : saved.entrySet()) {
                Tensor live = parameters.get(e.getKey());
                if (!Arrays.equals(live.shape(), e.getValue().shape())) {
                    throw new CorruptDataException("the checkpoint " + file + " holds the average of " + e.getKey() + " for "
                            + averager.spec() + " with shape " + Arrays.toString(e.getValue().shape()) + " but the parameter has "
                            + Arrays.toString(live.shape()));
                }
            }
            out.put(i, new AverageState(saved, count));
        }
        return out;
    }

    private record RegularizerKey(int index, String rest) {
    }

    /**
     * A regularizer's own state as a checkpoint sees it: a learnable or output regularizer's own
     * optimizer's, or a {@link StatefulRegularizer}'s value (one dispatch, so that saving,
     * checking and restoring always take the same one).
     */
    private record OwnState(java.util.function.Supplier<Map<String, double[]>> state, Consumer<Map<String, double[]>> check,
                            Consumer<Map<String, double[]>> restore) {
        /** @return r's own state, or null if it keeps none */
        static OwnState of(Regularizer r) {
            return switch (r) {
                case LearnableRegularizer l -> new OwnState(l::ownOptimizerState, l::checkOwnOptimizerState, l::restoreOwnOptimizerState);
                case OutputRegularizer o -> new OwnState(o::ownOptimizerState, o::checkOwnOptimizerState, o::restoreOwnOptimizerState);
                case StatefulRegularizer st -> new OwnState(st::state, st::checkState, st::restoreState);
                default -> null;
            };
        }
    }

    /** Learnable, output and stateful regularizers keep a state of their own ({@link OwnState}). */
    private static boolean keepsOwnState(Regularizer r) {
        return OwnState.of(r) != null;
    }

    /** Reads the comma-joined {@link Double#toString} text an older version saved a regularizer's state as. */
    private static double[] legacyValues(Path file, String key, String text) throws CorruptDataException {
        String[] parts = text.isEmpty() ? new String[0] : text.split(",", -1);
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Double.parseDouble(parts[i]);
            } catch (NumberFormatException e) {
                throw new CorruptDataException("the checkpoint " + file + " has corrupt metadata: " + key + " holds '" + parts[i]
                        + "' at position " + i + ", expected comma-separated numbers");
            }
        }
        return out;
    }

    /**
     * Splits a key {@code <prefix><index>/<rest>} and checks that the index names a regularizer
     * of this run of the given kind.
     *
     * @throws IllegalArgumentException naming the key and the kind if it does not
     */
    private static RegularizerKey regularizerKey(Path file, String key, String prefix, List<Regularizer> regularizers,
                                                 Predicate<Regularizer> kind, String stateName, String kindName) {
        String rest = key.substring(prefix.length());
        int slash = rest.indexOf('/');
        int index = slash > 0 ? parseIndex(rest.substring(0, slash)) : -1;
        if (index < 0 || index >= regularizers.size() || !kind.test(regularizers.get(index))) {
            throw new IllegalArgumentException("the checkpoint " + file + " has " + stateName + " state '" + key
                    + "' that matches no " + kindName + " regularizer of this run; use the same regularizers to resume");
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

    private static long whole(Path file, Checkpoint c, String key, long max) throws CorruptDataException {
        String text = c.metadata().get(key);
        long v;
        try {
            v = text == null ? -1 : Long.parseLong(text);
        } catch (NumberFormatException e) {
            v = -1;
        }
        if (v < 0 || v > max) {
            throw new CorruptDataException("the checkpoint " + file + " has corrupt metadata: " + key + "="
                    + (text == null ? "(missing)" : "'" + text + "'") + ", expected a whole number in [0, " + max + "]");
        }
        return v;
    }
}
