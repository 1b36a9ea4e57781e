package dev.regula.core.train.callbacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.model.Model;
import dev.regula.api.model.Models;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.checkpoint.Checkpoint;
import dev.regula.core.data.Dataset;
import dev.regula.core.kernels.ScalarKernels;
import dev.regula.core.layer.ModelSummary;
import dev.regula.core.loss.SoftmaxCrossEntropy;
import dev.regula.core.train.BatchProgress;
import dev.regula.core.train.EpochMetrics;
import dev.regula.core.train.Trainer;
import dev.regula.core.train.TrainingCallback;
import dev.regula.core.train.TrainingConfig;
import dev.regula.core.train.TrainingContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallbacksTest {
    static Dataset blobs(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 4];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            y[i] = c;
            for (int d = 0; d < 4; d++) x[i * 4 + d] = (float) ((d == c ? 2.0 : 0.0) + r.nextGaussian() * 0.5);
        }
        return new Dataset(Tensor.wrap(x, n, 4), Tensor.wrap(y, n), 3);
    }

    static Model mlp() {
        return Models.installed().parse("mlp(hidden=16x16)").build(new int[] {4}, 3, 3);
    }

    static TrainingConfig.Builder config() {
        return TrainingConfig.builder().optimizer("sgd(lr=0.05, momentum=0.9)").loss(new SoftmaxCrossEntropy(0))
                .epochs(2).batchSize(16).seed(7).kernels(new ScalarKernels()).regularizer("l2(lambda=1e-3)");
    }

    @Test
    void hooksRunInTheDocumentedOrderAndTheOlderHooksStillHear() {
        List<String> events = new ArrayList<>();
        TrainingCallback recorder = new TrainingCallback() {
            @Override
            public void onTrainBegin(TrainingContext ctx) {
                events.add("train-begin");
            }

            @Override
            public void onEpochBegin(TrainingContext ctx, int epoch) {
                events.add("epoch-begin " + epoch);
            }

            @Override
            public void onBatchBegin(TrainingContext ctx, int epoch, int batch) {
                events.add("batch-begin " + epoch + "." + batch);
            }

            @Override
            public void onBatchEnd(TrainingContext ctx, BatchProgress p) {
                events.add("batch-end " + p.epoch() + "." + (p.batchesDone() - 1) + " step " + ctx.step());
            }

            @Override
            public void onValidationEnd(TrainingContext ctx, int epoch, Trainer.Evaluation e) {
                events.add("validation " + epoch);
            }

            @Override
            public void onEpochEnd(TrainingContext ctx, EpochMetrics m) {
                events.add("epoch-end " + m.epoch());
            }

            @Override
            public void onTrainEnd(TrainingContext ctx, List<EpochMetrics> history) {
                events.add("train-end " + history.size());
            }
        };
        List<String> older = new ArrayList<>();
        TrainingCallback old = new TrainingCallback() {
            @Override
            public void onBatchEnd(Trainer trainer, long step, double loss, int done, int total) {
                older.add("batch " + step);
            }

            @Override
            public void onEpochEnd(Trainer trainer, EpochMetrics m) {
                older.add("epoch " + m.epoch());
            }
        };
        new Trainer(mlp(), config().callback(recorder).callback(old).build()).fit(blobs(40, 1), blobs(12, 2));
        assertEquals(List.of("train-begin",
                "epoch-begin 1", "batch-begin 1.0", "batch-end 1.0 step 1", "batch-begin 1.1", "batch-end 1.1 step 2",
                "batch-begin 1.2", "batch-end 1.2 step 3", "validation 1", "epoch-end 1",
                "epoch-begin 2", "batch-begin 2.0", "batch-end 2.0 step 4", "batch-begin 2.1", "batch-end 2.1 step 5",
                "batch-begin 2.2", "batch-end 2.2 step 6", "validation 2", "epoch-end 2",
                "train-end 2"), events);
        assertEquals(List.of("batch 1", "batch 2", "batch 3", "epoch 1", "batch 4", "batch 5", "batch 6", "epoch 2"), older);
    }

    @Test
    void loggersWriteOneRowPerEpochWithGradientNormsAndPenalties(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("m.csv");
        Path jsonl = dir.resolve("m.jsonl");
        new Trainer(mlp(), config().epochs(3).callback(new CsvLogger(csv, false)).callback(new JsonLinesLogger(jsonl, false)).build())
                .fit(blobs(40, 1), null);
        List<String> rows = Files.readAllLines(csv);
        assertEquals(4, rows.size(), rows.toString());
        assertTrue(rows.get(0).startsWith("epoch,step,lr,loss,accuracy,val_loss,val_accuracy,grad_norm,"), rows.get(0));
        assertTrue(rows.get(0).contains("\"penalty/l2(lambda=1e-3, on=weights)\""), rows.get(0));
        assertTrue(rows.get(0).contains("grad_norm/dense1.weight"), rows.get(0));
        String[] first = rows.get(1).split(",", -1);
        assertEquals("1", first[0]);
        assertEquals("", first[5], "no validation: empty cell");
        assertTrue(Double.parseDouble(first[7]) > 0, "the mean gradient norm reaches the log");
        List<String> lines = Files.readAllLines(jsonl);
        assertEquals(3, lines.size());
        assertTrue(lines.get(2).startsWith("{\"epoch\":3,\"step\":9,"), lines.get(2));
        assertTrue(lines.get(0).contains("\"val_loss\":null"), lines.get(0));
        assertTrue(lines.get(0).contains("\"penalty/l2(lambda=1e-3, on=weights)\":"), lines.get(0));
    }

    /** With its columns given up front, a log names them even when no epoch has a row, and its rows follow them. */
    @Test
    void aLogWithColumnsGivenUpFrontHasItsHeaderEvenWithoutRows(@TempDir Path dir) throws IOException {
        Path empty = dir.resolve("empty.csv");
        Path some = dir.resolve("some.csv");
        List<String> columns = List.of("epoch", "what");
        new Trainer(mlp(), config().epochs(2).callback(new CsvLogger(empty, false, (ctx, m) -> List.of(), columns))
                .callback(new CsvLogger(some, false, (ctx, m) -> List.of(java.util.Map.of("what", "x", "epoch", m.epoch())), columns))
                .build()).fit(blobs(40, 1), null);
        assertEquals(List.of("epoch,what"), Files.readAllLines(empty));
        assertEquals(List.of("epoch,what", "1,x", "2,x"), Files.readAllLines(some));
    }

    @Test
    void modelCheckpointKeepsTheLastAndTheBestEpoch(@TempDir Path dir) throws IOException {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ModelCheckpoint(dir.resolve("none"), "val_loss", 0, Map.of()))
                .getMessage().contains("does not exist"), "a missing folder is found when the callback is made");
        ModelCheckpoint mc = new ModelCheckpoint(dir, "val_loss", 0, Map.of("run", "a"));
        Trainer t = new Trainer(mlp(), config().epochs(3).callback(mc).build());
        List<EpochMetrics> h = t.fit(blobs(40, 1), blobs(12, 2));
        Checkpoint last = Checkpoint.load(dir.resolve(ModelCheckpoint.LAST));
        assertEquals("3", last.metadata().get("epoch"));
        assertEquals("a", last.metadata().get("run"));
        int best = 1;
        for (EpochMetrics m : h) if (m.validationLoss() < h.get(best - 1).validationLoss()) best = m.epoch();
        assertEquals(best, mc.bestEpoch());
        assertEquals(Integer.toString(best), Checkpoint.load(dir.resolve(ModelCheckpoint.BEST)).metadata().get("epoch"));
        assertArrayEquals(t.model().parameters().get(0).value().data(), last.parameters().get("dense1.weight").data());
    }

    /** A resumed run continues the best of the run it resumes: a worse epoch after it does not replace best.safetensors. */
    @Test
    void aResumedRunKeepsTheBestOfTheRunItResumes(@TempDir Path dir) throws IOException {
        Map<String, String> settings = Map.of("run", "a");
        ModelCheckpoint first = new ModelCheckpoint(dir, "val_loss", 0, settings);
        new Trainer(mlp(), config().epochs(2).callback(first).build()).fit(blobs(40, 1), blobs(12, 2));
        byte[] bestBefore = Files.readAllBytes(dir.resolve(ModelCheckpoint.BEST));
        // the resumed run diverges (a huge rate): its epochs are worse than the best so far
        ModelCheckpoint second = new ModelCheckpoint(dir, "val_loss", 0, settings);
        Trainer resumed = new Trainer(mlp(), config().optimizer("sgd(lr=0.05, momentum=0.9)").epochs(4).callback(second).build());
        dev.regula.core.train.TrainingCheckpoint.restore(dir.resolve(ModelCheckpoint.LAST), resumed, settings, w -> { });
        resumed.model().parameters().forEach(p -> java.util.Arrays.fill(p.value().data(), 0.5f)); // a far worse model
        List<EpochMetrics> h = resumed.fit(blobs(40, 1), blobs(12, 2));
        assertEquals(first.bestEpoch(), second.bestEpoch(), "the best is still the first run's: " + h);
        assertArrayEquals(bestBefore, Files.readAllBytes(dir.resolve(ModelCheckpoint.BEST)));
        // a fresh run (epoch 0) has a best of its own
        ModelCheckpoint fresh = new ModelCheckpoint(dir, "val_loss", 0, settings);
        new Trainer(mlp(), config().epochs(1).callback(fresh).build()).fit(blobs(40, 1), blobs(12, 2));
        assertEquals(1, fresh.bestEpoch());
    }

    @Test
    void aDivergedValidationLossIsReturnedAsNaNNotCalledMissingValidationData() {
        Monitor monitor = new Monitor("val_loss", 0);
        java.util.function.BiFunction<Double, Double, dev.regula.core.train.EpochMetrics> epoch = (valLoss, valAcc) ->
                new dev.regula.core.train.EpochMetrics(1, 10, 0.1, Double.NaN, 0.1, Map.of(), valLoss, valAcc, java.util.List.of(), 0, 1, 1);
        // classification: the evaluation ran (it has an accuracy) and its loss diverged
        assertTrue(Double.isNaN(monitor.require(epoch.apply(Double.NaN, 0.1), "x")));
        // no accuracy and no loss: no validation data, or (a regression) a diverged one, and the message says both
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> monitor.require(epoch.apply(Double.NaN, Double.NaN), "x"));
        assertTrue(e.getMessage().contains("no validation data or its evaluation diverged"), e.getMessage());
        assertEquals(0.5, monitor.require(epoch.apply(0.5, Double.NaN), "x"));
    }

    /** Monitoring what the run does not have is refused at the first epoch's end, not a silent stop or no checkpoint. */
    @Test
    void aMonitorTheRunDoesNotHaveIsRefused(@TempDir Path dir) {
        Trainer noValidation = new Trainer(mlp(), config().epochs(3).callback(new ModelCheckpoint(dir, "val_loss", 0, Map.of())).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> noValidation.fit(blobs(40, 1), null));
        assertTrue(e.getMessage().contains("monitors val_loss, but the fit has no validation data"), e.getMessage());
        Trainer stop = new Trainer(mlp(), config().epochs(3).callback(new dev.regula.core.train.EarlyStopping("val_accuracy", 1, 0, false))
                .build());
        e = assertThrows(IllegalArgumentException.class, () -> stop.fit(blobs(40, 1), null));
        assertTrue(e.getMessage().contains("early stopping monitors val_accuracy"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ModelCheckpoint(dir, null, 0, Map.of()))
                .getMessage().contains("unknown monitor 'null'"));
        assertThrows(IllegalArgumentException.class, () -> new dev.regula.core.train.EarlyStopping("loss", 1, Double.POSITIVE_INFINITY, false));
    }

    @Test
    void reduceOnPlateauLowersTheRateAfterPatienceEpochs() {
        // no epoch can improve the loss by 100: every `patience` epochs the factor applies, down to minScale
        ReduceLrOnPlateau r = new ReduceLrOnPlateau("loss", 0.5, 2, 100, 0.3);
        List<EpochMetrics> h = new Trainer(mlp(), config().epochs(7).callback(r).build()).fit(blobs(40, 1), null);
        double[] lr = h.stream().mapToDouble(EpochMetrics::learningRate).toArray();
        assertArrayEquals(new double[] {0.05, 0.05, 0.05, 0.05 * 0.5, 0.05 * 0.5, 0.05 * 0.3, 0.05 * 0.3}, lr, 1e-12);
        assertEquals(2, r.reductions());
        // passed on to a fresh trainer, it counts afresh: no reduction before its patience is spent again
        // (after 6 epochs it has waited 1 of its 2; carried over, the new fit's first epoch would reduce at once)
        ReduceLrOnPlateau carried = new ReduceLrOnPlateau("loss", 0.5, 2, 100, 0.3);
        new Trainer(mlp(), config().epochs(6).callback(carried).build()).fit(blobs(40, 1), null);
        List<EpochMetrics> again = new Trainer(mlp(), config().epochs(2).callback(carried).build()).fit(blobs(40, 1), null);
        assertArrayEquals(new double[] {0.05, 0.05}, again.stream().mapToDouble(EpochMetrics::learningRate).toArray(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new ReduceLrOnPlateau("val_los", 0.5, 2, 0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new ReduceLrOnPlateau("loss", 1.5, 2, 0, 0.1));
    }

    @Test
    void summaryListsOutputShapesAndParameterCounts() {
        ModelSummary s = ModelSummary.of(mlp());
        long total = 0;
        for (ModelSummary.Row row : s.rows()) total += row.parameters();
        assertEquals(4 * 16 + 16 + 16 * 16 + 16 + 16 * 3 + 3, s.trainableParameters());
        assertEquals(total, s.trainableParameters());
        assertArrayEquals(new int[] {3}, s.rows().get(s.rows().size() - 1).outputShape());
        assertTrue(s.toString().contains("trainable parameters: 403"), s.toString());
    }
}
