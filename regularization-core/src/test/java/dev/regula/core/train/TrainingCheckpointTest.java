package dev.regula.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.CorruptDataException;
import dev.regula.api.model.Model;
import dev.regula.api.model.Models;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.checkpoint.Checkpoint;
import dev.regula.core.checkpoint.Float64Tensor;
import dev.regula.api.regularizer.LearnableRegularizer;
import dev.regula.core.data.Dataset;
import dev.regula.core.kernels.ScalarKernels;
import dev.regula.core.loss.SoftmaxCrossEntropy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run saved and restored by {@link TrainingCheckpoint} ends bit-identical to the run never interrupted. */
class TrainingCheckpointTest {
    private static final Map<String, String> SETTINGS = Map.of("model", "cnn", "seed", "7");

    /** 6×6 single-channel images of three classes: a bright row, column or diagonal, with noise. */
    static Dataset images(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 36];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            y[i] = c;
            for (int p = 0; p < 36; p++) {
                int row = p / 6;
                int col = p % 6;
                boolean on = c == 0 ? row == 2 : c == 1 ? col == 3 : row == col;
                x[i * 36 + p] = (float) ((on ? 1.0 : 0.0) + r.nextGaussian() * 0.3);
            }
        }
        return new Dataset(Tensor.wrap(x, n, 1, 6, 6), Tensor.wrap(y, n), 3);
    }

    private static Model cnn() {
        return Models.installed().parse("cnn(channels=4, dense=8, batchnorm=true)").build(new int[] {1, 6, 6}, 3, 11);
    }

    private static TrainingConfig config(int epochs) {
        return config(epochs, "adam(lr=0.01)");
    }

    private static TrainingConfig config(int epochs, String optimizer) {
        return config(epochs, optimizer, "soft-weight-sharing(lambda=1e-4, components=4)");
    }

    private static TrainingConfig config(int epochs, String optimizer, String prior) {
        return TrainingConfig.builder().optimizer(optimizer).loss(new SoftmaxCrossEntropy(0)).epochs(epochs).batchSize(8)
                .seed(7).kernels(new ScalarKernels())
                .regularizer("soft-anchor(lambda=0.01, to=init)").regularizer("dropout(p=0.2)")
                .regularizer("ema(decay=0.9)").regularizer(prior).build();
    }

    /** Trains t one epoch and saves it as run.safetensors in dir. */
    private static Path savedAfterOneEpoch(Trainer t, Path dir) throws IOException {
        t.fit(images(16, 3), null);
        Path file = dir.resolve("run.safetensors");
        TrainingCheckpoint.save(file, t, SETTINGS);
        return file;
    }

    private static List<float[]> state(Trainer t) {
        List<float[]> out = new ArrayList<>();
        t.pipeline().allParameters().forEach(p -> out.add(p.value().data().clone()));
        t.model().state().values().forEach(s -> out.add(s.data().clone()));
        t.config().optimizer().state().values().forEach(s -> out.add(s.data().clone()));
        return out;
    }

    @Test
    void aResumedCnnRunEndsBitIdenticalToTheUninterruptedOne(@TempDir Path dir) throws IOException {
        assertTheResumedRunEndsBitIdentical(dir, TrainingCheckpointTest::config);
    }

    /**
     * Soft decay divides by the first learning rate it saw (lr0 not given): on a decaying schedule
     * the resumed run must divide by that rate, not by the one it resumes at.
     */
    @Test
    void aResumedRunWithSoftDecayOnADecayingScheduleEndsBitIdentical(@TempDir Path dir) throws IOException {
        assertTheResumedRunEndsBitIdentical(dir, epochs -> TrainingConfig.builder()
                .optimizer("sgd(lr=cosine(from=0.05, to=0, epochs=4), momentum=0.9)").loss(new SoftmaxCrossEntropy(0))
                .epochs(epochs).batchSize(8).seed(7).kernels(new ScalarKernels()).regularizer("soft-decay(lambda=0.01)").build());
    }

    /**
     * Spectral norm keeps a power-iteration vector per weight across steps: the resumed run goes on
     * from the saved one (restarting it changed σ̂ and with it the projection, at a max the
     * weights exceed).
     */
    @Test
    void aResumedRunWithSpectralNormThatActsEndsBitIdentical(@TempDir Path dir) throws IOException {
        assertTheResumedRunEndsBitIdentical(dir, epochs -> TrainingConfig.builder().optimizer("adam(lr=0.01)")
                .loss(new SoftmaxCrossEntropy(0)).epochs(epochs).batchSize(8).seed(7).kernels(new ScalarKernels())
                .regularizer("spectral-norm(max=0.5, iterations=1)").build());
    }

    /** Four epochs at once against two, saved, restored into a new trainer and two more. */
    private static void assertTheResumedRunEndsBitIdentical(Path dir, java.util.function.IntFunction<TrainingConfig> config)
            throws IOException {
        Dataset train = images(48, 1);
        Dataset val = images(24, 2);
        Trainer whole = new Trainer(cnn(), config.apply(4));
        List<EpochMetrics> wholeHistory = whole.fit(train, val);
        assertFalse(whole.model().state().isEmpty(), "the cnn with batchnorm=true has running statistics");

        Trainer first = new Trainer(cnn(), config.apply(2));
        first.fit(train, val);
        Path file = dir.resolve("run.safetensors");
        TrainingCheckpoint.save(file, first, SETTINGS);

        Trainer second = new Trainer(cnn(), config.apply(4));
        List<String> warnings = new ArrayList<>();
        TrainingCheckpoint.Position at = TrainingCheckpoint.restore(file, second, SETTINGS, warnings::add);
        assertEquals(new TrainingCheckpoint.Position(first.step(), 2), at);
        assertTrue(warnings.isEmpty(), warnings.toString());
        List<EpochMetrics> rest = second.fit(train, val);
        assertEquals(2, rest.size());

        List<float[]> expected = state(whole);
        List<float[]> got = state(second);
        assertEquals(expected.size(), got.size());
        for (int i = 0; i < expected.size(); i++) assertArrayEquals(expected.get(i), got.get(i), "state tensor " + i);
        assertEquals(wholeHistory.get(3).validationLoss(), rest.get(1).validationLoss());
        assertEquals(whole.step(), second.step());
    }

    @Test
    void theLayerStateIsSavedUnderPyTorchNames(@TempDir Path dir) throws IOException {
        Trainer t = new Trainer(cnn(), config(1));
        Path file = savedAfterOneEpoch(t, dir);
        Checkpoint c = Checkpoint.load(file);
        assertTrue(c.extraState().containsKey("bn1.running_mean"), c.extraState().keySet().toString());
        assertArrayEquals(t.model().state().get("bn1.running_var").data(), c.extraState().get("bn1.running_var").data());
    }

    @Test
    void otherSettingsOrAMissingLayerStateAreRefused(@TempDir Path dir) throws IOException {
        Trainer t = new Trainer(cnn(), config(1));
        Path file = savedAfterOneEpoch(t, dir);
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> TrainingCheckpoint.restore(file, new Trainer(cnn(), config(2)), Map.of("model", "cnn", "seed", "8"), w -> { }));
        assertTrue(other.getMessage().contains("was written with seed=7 but this run has seed=8"), other.getMessage());

        Checkpoint c = Checkpoint.load(file);
        Map<String, Tensor> extra = new java.util.LinkedHashMap<>(c.extraState());
        extra.remove("bn1.running_var");
        Path cut = dir.resolve("cut.safetensors");
        Checkpoint.save(cut, t.pipeline().allParameters(), extra, c.metadata());
        CorruptDataException missing = assertThrows(CorruptDataException.class,
                () -> TrainingCheckpoint.restore(cut, new Trainer(cnn(), config(2)), SETTINGS, w -> { }));
        assertTrue(missing.getMessage().contains("lacks the layer state [bn1.running_var]"), missing.getMessage());
    }

    /** A checkpoint of another optimizer is refused with the run as it was: no parameter, statistic or state restored. */
    @Test
    void aCheckpointOfAnotherOptimizerChangesNothing(@TempDir Path dir) throws IOException {
        assertRefusedWithTheRunAsItWas(dir, new Trainer(cnn(), config(2, "sgd(lr=0.01, momentum=0.9)")), "unknown optimizer state key");
    }

    /** Saves a run after one epoch, restores it into {@code other}: refused with {@code message}, nothing of other changed. */
    private static void assertRefusedWithTheRunAsItWas(Path dir, Trainer other, String message) throws IOException {
        Path file = savedAfterOneEpoch(new Trainer(cnn(), config(1)), dir);
        List<float[]> before = state(other);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingCheckpoint.restore(file, other, SETTINGS, w -> { }));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        List<float[]> after = state(other);
        assertEquals(before.size(), after.size());
        for (int i = 0; i < before.size(); i++) assertArrayEquals(before.get(i), after.get(i), "state " + i + " changed");
        assertEquals(0, other.step());
    }

    /**
     * A checkpoint whose regularizer's own optimizer state the run's regularizer refuses (Adam's
     * moments for one set to SGD) is refused with the run as it was, as one of another optimizer is.
     */
    @Test
    void aCheckpointOfAnotherOwnOptimizerChangesNothing(@TempDir Path dir) throws IOException {
        assertRefusedWithTheRunAsItWas(dir, new Trainer(cnn(), config(2, "adam(lr=0.01)",
                "soft-weight-sharing(lambda=1e-4, components=4, own_optimizer=sgd)")), "optimizer state keys");
    }

    /** A setting under a key the checkpoint keeps for itself is refused when saving, not found unrestorable later. */
    @Test
    void settingsUnderTheCheckpointsOwnKeysAreRefused(@TempDir Path dir) {
        Trainer t = new Trainer(cnn(), config(1));
        for (String key : List.of("step", "epoch", "lr_scale", "optimizer_state", "average/0/count", "regularizer/0/x", "anchor/0/w")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TrainingCheckpoint.save(dir.resolve("x.safetensors"), t, Map.of(key, "abc")));
            assertTrue(e.getMessage().contains("the setting '" + key + "' is a key the training checkpoint keeps for itself"),
                    e.getMessage());
        }
        assertFalse(java.nio.file.Files.exists(dir.resolve("x.safetensors")));
    }

    /** A setting that is a spec is compared as a spec: other spacing is the same setting, another value is not. */
    @Test
    void specSettingsAreComparedByTheirCanonicalText(@TempDir Path dir) throws IOException {
        Trainer t = new Trainer(cnn(), config(1));
        Path file = dir.resolve("run.safetensors");
        TrainingCheckpoint.save(file, t, Map.of("optimizer", "adam(lr=5e-4,beta1=0.5)"));
        Checkpoint c = TrainingCheckpoint.read(file);
        TrainingCheckpoint.checkSettings(file, c, TrainingCheckpoint.Settings.exact(Map.of("optimizer", "adam( lr = 5e-4, beta1=0.5 )")),
                w -> { });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingCheckpoint.checkSettings(file, c,
                TrainingCheckpoint.Settings.exact(Map.of("optimizer", "adam(lr=1e-3, beta1=0.5)")), w -> { }));
        assertTrue(e.getMessage().contains("was written with optimizer=adam(lr=5e-4,beta1=0.5)"), e.getMessage());
        // several specs, joined as the command line joins them; a plain word keeps its case
        assertEquals(TrainingCheckpoint.canonical("l2(lambda=1e-4) ; dropout(p=0.5)"),
                TrainingCheckpoint.canonical("l2( lambda = 1e-4 ) ;dropout(p=0.5)"));
        assertEquals(TrainingCheckpoint.canonical("l2(lambda=1e-4) dropout(p=0.5)"), TrainingCheckpoint.canonical("l2(lambda=1e-4) ; dropout(p=0.5)"));
        assertEquals("Data.csv", TrainingCheckpoint.canonical("Data.csv"));
        assertTrue(!TrainingCheckpoint.canonical("l2(lambda=1e-4)").equals(TrainingCheckpoint.canonical("l2(lambda=1e-3)")));
        // the public comparison every checker uses (a resume, compress's --pretrained model)
        assertTrue(TrainingCheckpoint.sameSetting("mlp(hidden=64, batchnorm=true)", "mlp(hidden=64,batchnorm=true)"));
        assertTrue(TrainingCheckpoint.sameSetting("Data.csv", "Data.csv"));
        assertFalse(TrainingCheckpoint.sameSetting("Data.csv", "data.csv"));
        assertFalse(TrainingCheckpoint.sameSetting("mlp(hidden=64)", "mlp(hidden=32)"));
        // what a run's own banner prints, another order of keys, another way to write a number, a default written out
        assertTrue(TrainingCheckpoint.sameSetting("sgd(lr=0.05, momentum=0.9)", "sgd(lr=0.05, momentum=0.9, nesterov=false)"));
        assertTrue(TrainingCheckpoint.sameSetting("sgd(lr=0.05, momentum=0.9)", "SGD(momentum=0.90, lr=5e-2)"));
        assertTrue(TrainingCheckpoint.sameSetting("dropout(p=0.2)", "dropout(p=2e-1, after=hidden)"));
        assertTrue(TrainingCheckpoint.sameSetting("mlp(hidden=256x256)", "mlp(hidden=256x256, activation=relu)"));
        assertTrue(TrainingCheckpoint.sameSetting("l2(lambda=1e-4) ; dropout(p=0.2)", "l2(lambda=0.0001) dropout(p=0.20)"));
        assertFalse(TrainingCheckpoint.sameSetting("sgd(lr=0.05, momentum=0.9)", "sgd(lr=0.05, momentum=0.9, nesterov=true)"));
        assertFalse(TrainingCheckpoint.sameSetting("dropout(p=0.2)", "dropout(p=0.3)"));
        assertFalse(TrainingCheckpoint.sameSetting("l2(lambda=1e-4) ; dropout(p=0.2)", "dropout(p=0.2) ; l2(lambda=1e-4)"),
                "the order of regularizers is part of the setting");
        // the epochs a metrics log records, as a resume reads them
        assertEquals(12, dev.regula.core.train.callbacks.JsonLinesLogger.epochOf("{\"epoch\":12,\"loss\":0.5}"));
        assertTrue(dev.regula.core.train.callbacks.JsonLinesLogger.epochOf("{\"loss\":0.5}") < 0);
        assertTrue(dev.regula.core.train.callbacks.JsonLinesLogger.epochOf("garbage") < 0);
    }

    /** soft-weight-sharing is the fourth regularizer of {@link #config}: index 3. */
    private static final String SWS = "regularizer/3/";

    @Test
    void aLearnableRegularizersAdamStateIsStoredAsExactFloat64Tensors(@TempDir Path dir) throws IOException {
        Trainer t = new Trainer(cnn(), config(1));
        Path file = savedAfterOneEpoch(t, dir);
        Checkpoint c = Checkpoint.load(file);
        LearnableRegularizer sws = (LearnableRegularizer) t.pipeline().regularizers().get(3);
        Map<String, double[]> live = sws.ownOptimizerState();
        assertEquals(7, live.size());
        boolean roundsInFloat32 = false;
        for (Map.Entry<String, double[]> e : live.entrySet()) {
            Float64Tensor saved = c.float64State().get(SWS + e.getKey());
            assertEquals(Float64Tensor.vector(e.getValue()), saved, e.getKey()); // bit for bit
            for (double v : e.getValue()) roundsInFloat32 |= (double) (float) v != v;
        }
        assertTrue(roundsInFloat32, "some saved value must not survive float32, or this test shows nothing");
        assertTrue(c.metadata().keySet().stream().noneMatch(k -> k.startsWith("regularizer/")), c.metadata().keySet().toString());
        assertTrue(c.extraState().keySet().stream().noneMatch(k -> k.startsWith("regularizer/")), c.extraState().keySet().toString());
    }

    @Test
    void aCheckpointWithTheOlderTextStateResumesBitIdenticallyAndBadTextIsCorrupt(@TempDir Path dir) throws IOException {
        Dataset train = images(48, 1);
        Trainer first = new Trainer(cnn(), config(1));
        first.fit(train, null);
        Path current = dir.resolve("current.safetensors");
        TrainingCheckpoint.save(current, first, SETTINGS);
        // the same checkpoint as an older version wrote it: the state as comma-joined Double.toString text
        Checkpoint c = Checkpoint.load(current);
        Map<String, String> meta = new java.util.LinkedHashMap<>(c.metadata());
        c.float64State().forEach((k, t) -> meta.put(k, java.util.Arrays.stream(t.data()).mapToObj(Double::toString)
                .collect(java.util.stream.Collectors.joining(","))));
        Path older = dir.resolve("older.safetensors");
        Checkpoint.save(older, first.pipeline().allParameters(), c.extraState(), meta);

        List<List<float[]>> ends = new ArrayList<>();
        for (Path file : List.of(current, older)) {
            Trainer resumed = new Trainer(cnn(), config(2));
            List<String> warnings = new ArrayList<>();
            TrainingCheckpoint.restore(file, resumed, SETTINGS, warnings::add);
            assertTrue(warnings.isEmpty(), warnings.toString());
            resumed.fit(train, null);
            ends.add(state(resumed));
        }
        for (int i = 0; i < ends.get(0).size(); i++) assertArrayEquals(ends.get(0).get(i), ends.get(1).get(i), "state tensor " + i);

        meta.put(SWS + "moment1.means", "0.0,zero,0.0,0.0");
        Path bad = dir.resolve("bad.safetensors");
        Checkpoint.save(bad, first.pipeline().allParameters(), c.extraState(), meta);
        CorruptDataException e = assertThrows(CorruptDataException.class,
                () -> TrainingCheckpoint.restore(bad, new Trainer(cnn(), config(2)), SETTINGS, w -> { }));
        assertTrue(e.getMessage().contains(SWS + "moment1.means holds 'zero' at position 1"), e.getMessage());

        Path stray = dir.resolve("stray.safetensors");
        Checkpoint.save(stray, first.pipeline().allParameters(), c.extraState(), Map.of("junk", Float64Tensor.vector(1)), c.metadata());
        e = assertThrows(CorruptDataException.class,
                () -> TrainingCheckpoint.restore(stray, new Trainer(cnn(), config(2)), SETTINGS, w -> { }));
        assertTrue(e.getMessage().contains("holds the float64 tensor junk, which is no state a training checkpoint keeps"), e.getMessage());
    }
}
