package dev.regula.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.NumericalFaultException;
import dev.regula.api.StepContext;
import dev.regula.api.model.Layer;
import dev.regula.api.model.Model;
import dev.regula.api.model.Models;
import dev.regula.api.param.Parameter;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.data.Dataset;
import dev.regula.core.kernels.ScalarKernels;
import dev.regula.core.layer.Dense;
import dev.regula.core.layer.ReLU;
import dev.regula.core.layer.Sequential;
import dev.regula.core.loss.SoftmaxCrossEntropy;
import dev.regula.core.testing.RecordingIdentity;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TrainerTest {
    /** Three Gaussian blobs in 4-D, well separated: a net must reach > 90% quickly. */
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

    static Model mlp(long seed) {
        return Models.installed().parse("mlp(hidden=16x16)").build(new int[] {4}, 3, seed);
    }

    static TrainingConfig.Builder config() {
        return TrainingConfig.builder().optimizer("sgd(lr=0.05, momentum=0.9)").loss(new SoftmaxCrossEntropy(0))
                .epochs(8).batchSize(16).seed(7).kernels(new ScalarKernels());
    }

    static List<float[]> values(Model m) {
        List<float[]> out = new ArrayList<>();
        for (Parameter p : m.parameters()) out.add(p.value().data().clone());
        return out;
    }

    @Test
    void learnsSeparableBlobsWithRegularization() {
        Trainer t = new Trainer(mlp(1), config().regularizer("l2(lambda=1e-4)").regularizer("dropout(p=0.2)").build());
        List<EpochMetrics> history = t.fit(blobs(600, 1), blobs(300, 2));
        EpochMetrics last = history.get(history.size() - 1);
        assertEquals(8, history.size());
        assertTrue(last.validationAccuracy() > 0.9, "validation accuracy " + last.validationAccuracy());
        assertTrue(last.trainLoss() < history.get(0).trainLoss(), "loss must fall");
        assertEquals(8 * 38, last.step());
    }

    @Test
    void validationInsideFitMatchesThePublicEvaluationEveryEpoch() {
        // 600 examples: evaluation batches of 256, 256 and 88 rows, so both buffer sizes are reused
        Dataset validation = blobs(600, 2);
        List<Trainer.Evaluation> shared = new ArrayList<>();
        Trainer t = new Trainer(mlp(3), config().epochs(3).regularizer("dropout(p=0.2)").callback(new TrainingCallback() {
            @Override
            public void onEpochEnd(Trainer trainer, EpochMetrics m) {
                shared.add(trainer.evaluate(validation));
            }
        }).build());
        List<EpochMetrics> history = t.fit(blobs(300, 1), validation);
        for (int e = 0; e < history.size(); e++) {
            assertEquals(shared.get(e).loss(), history.get(e).validationLoss(), 0, "validation loss, epoch " + (e + 1));
            assertEquals(shared.get(e).accuracy(), history.get(e).validationAccuracy(), 0, "validation accuracy, epoch " + (e + 1));
        }
        assertTrue(history.get(2).validationLoss() < history.get(0).validationLoss(), "the model changes between epochs");
    }

    @Test
    void validationInsideFitAndAnUncontendedEvaluateAreExclusiveAndPredictShared() {
        RecordingIdentity recorder = new RecordingIdentity("recorder");
        Sequential net = new Sequential("net", new int[] {4}, new Dense("dense1", 4, 8, 1), new ReLU("relu1"), recorder,
                new Dense("out", 8, 3, 2));
        Trainer t = new Trainer(net, config().epochs(2).build());
        t.fit(blobs(300, 1), blobs(600, 2)); // 3 validation batches per epoch
        assertEquals(List.of(true, true, true, true, true, true), recorder.evalExclusive());
        recorder.evalExclusive().clear();
        t.evaluate(blobs(600, 2));
        t.predict(blobs(10, 3).features()); // returns its output, so it never lends out a reused buffer
        assertEquals(List.of(true, true, true, false), recorder.evalExclusive());
    }

    @Test
    void anEvaluateWhileAnotherRunsIsSharedAndBothGiveTheSameResult() throws Exception {
        CountDownLatch firstInside = new CountDownLatch(1);
        CountDownLatch secondDone = new CountDownLatch(1);
        RecordingIdentity gate = new RecordingIdentity("gate", ctx -> {
            if (ctx.exclusive() && firstInside.getCount() == 1) {
                firstInside.countDown();
                try {
                    assertTrue(secondDone.await(10, TimeUnit.SECONDS), "the second evaluate did not finish");
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
        });
        List<Boolean> exclusive = gate.evalExclusive();
        Sequential net = new Sequential("net", new int[] {4}, new Dense("dense1", 4, 8, 1), gate, new Dense("out", 8, 3, 2));
        Trainer t = new Trainer(net, config().build());
        Dataset data = blobs(300, 2);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Trainer.Evaluation> first = pool.submit(() -> t.evaluate(data));
            assertTrue(firstInside.await(10, TimeUnit.SECONDS));
            Trainer.Evaluation second = t.evaluate(data); // the first holds the exclusive buffers
            List<Boolean> seen = List.copyOf(exclusive);
            secondDone.countDown();
            assertEquals(List.of(true, false, false), seen, "the first call's first batch exclusive, then the second call's two shared");
            Trainer.Evaluation firstResult = first.get(10, TimeUnit.SECONDS);
            assertEquals(List.of(true, false, false, true), exclusive);
            assertEquals(firstResult.loss(), second.loss(), 0);
            assertEquals(firstResult.accuracy(), second.accuracy(), 0);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void exclusiveEvaluationsOfDatasetsWithOtherExampleShapesGetTheirOwnBuffers() {
        Sequential inner = new Sequential("net", new int[] {4}, new Dense("dense1", 4, 8, 1), new ReLU("relu1"),
                new Dense("out", 8, 3, 2));
        Model anyShape = new Model() { // takes any example shape of 4 values, as a user's model may
            @Override
            public List<Layer> layers() {
                return inner.layers();
            }

            @Override
            public int[] inputShape() {
                return new int[] {4};
            }

            @Override
            public String name() {
                return "any-shape";
            }

            @Override
            public Tensor forward(Tensor input, StepContext ctx) {
                return inner.forward(Tensor.wrap(input.data(), input.dim(0), 4), ctx);
            }

            @Override
            public Tensor backward(Tensor gradOutput, StepContext ctx) {
                return inner.backward(gradOutput, ctx);
            }

            @Override
            public int[] outputShape(int[] inputShape) {
                return new int[] {3};
            }
        };
        Trainer t = new Trainer(anyShape, config().build());
        Dataset flat = blobs(300, 2);
        Dataset square = new Dataset(Tensor.wrap(flat.features().data(), 300, 2, 2), flat.labels(), 3);
        Trainer.Evaluation expected = t.evaluate(flat);
        Trainer.Evaluation viaSquare = t.evaluate(square); // same row counts, other example shape
        Trainer.Evaluation again = t.evaluate(flat);
        assertEquals(expected.loss(), viaSquare.loss(), 0);
        assertEquals(expected.loss(), again.loss(), 0);
        assertEquals(expected.accuracy(), again.accuracy(), 0);
    }

    @Test
    void reportsEachPenaltySeparatelyAndItMatchesTheDefinition() {
        Trainer t = new Trainer(mlp(1), config().epochs(1).regularizer("l2(lambda=0.01)").build());
        EpochMetrics m = t.fit(blobs(90, 1), null).get(0);
        double expected = 0;
        for (Parameter p : t.model().parameters()) {
            if (p.name().endsWith(".weight")) for (float v : p.value().data()) expected += 0.005 * v * v;
        }
        assertEquals(1, m.penalties().size());
        assertEquals(expected, m.penalties().values().iterator().next(), 1e-6 * expected);
        assertTrue(Double.isNaN(m.validationAccuracy()));
    }

    @Test
    void sameSeedGivesBitIdenticalParametersAndAnotherSeedDoesNot() {
        TrainingConfig.Builder b = config().epochs(2).regularizer("l2(lambda=1e-3)").regularizer("dropout(p=0.3)");
        Trainer a = new Trainer(mlp(3), b.build());
        Trainer c = new Trainer(mlp(3), b.build());
        Trainer d = new Trainer(mlp(3), b.seed(8).build());
        Dataset data = blobs(120, 5);
        a.fit(data, null);
        c.fit(data, null);
        d.fit(data, null);
        List<float[]> va = values(a.model());
        List<float[]> vc = values(c.model());
        for (int i = 0; i < va.size(); i++) assertArrayEquals(va.get(i), vc.get(i));
        assertFalse(java.util.Arrays.equals(va.get(0), values(d.model()).get(0)));
    }

    @Test
    void zeroStrengthReproducesTheUnregularizedRunBitForBit() {
        Dataset data = blobs(120, 5);
        Trainer plain = new Trainer(mlp(3), config().epochs(2).build());
        Trainer zero = new Trainer(mlp(3), config().epochs(2).regularizer("l2(lambda=0)").regularizer("l1(lambda=0)").build());
        plain.fit(data, null);
        zero.fit(data, null);
        List<float[]> a = values(plain.model());
        List<float[]> b = values(zero.model());
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i), b.get(i));
    }

    @Test
    void anOptimizerAlreadyUsedByAnotherRunIsRefused() {
        TrainingConfig used = config().epochs(1).build();
        new Trainer(mlp(1), used).fit(blobs(30, 1), null);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Trainer(mlp(1), used));
        assertTrue(e.getMessage().contains("new TrainingConfig"), e.getMessage());
    }

    /** toBuilder gives another run its own optimizer and regularizers: a second Trainer from it trains as a first would. */
    @Test
    void aConfigFromToBuilderSharesNoStateWithTheRunBefore() {
        TrainingConfig first = config().epochs(2).regularizer("soft-anchor(lambda=0.01, to=init)").regularizer("ema(decay=0.9)").build();
        new Trainer(mlp(1), first).fit(blobs(32, 1), null);
        TrainingConfig again = first.toBuilder().build();
        assertTrue(again.optimizer() != first.optimizer(), "a fresh optimizer");
        assertTrue(again.regularizers().get(1) != first.regularizers().get(1), "a fresh ema");
        assertTrue(again.regularizers().get(0) == first.regularizers().get(0), "an anchored regularizer keeps its anchors: passed on");
        Trainer a = new Trainer(mlp(1), again);
        a.fit(blobs(32, 1), null);
        Trainer b = new Trainer(mlp(1), config().epochs(2).regularizer("soft-anchor(lambda=0.01, to=init)").regularizer("ema(decay=0.9)")
                .build());
        b.fit(blobs(32, 1), null);
        assertArrayEquals(values(b.model()).toArray(), values(a.model()).toArray(), "the same as a run from a new config");
        IllegalStateException used = assertThrows(IllegalStateException.class, () -> new Trainer(mlp(1), first));
        assertTrue(used.getMessage().contains("already holds state from another run"), used.getMessage());
    }

    @Test
    void anEmptyTrainingSetIsRefused() {
        Trainer t = new Trainer(mlp(1), config().build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.fit(blobs(30, 1).subset(0, 0), null));
        assertTrue(e.getMessage().contains("the training set has no examples"), e.getMessage());
        assertEquals(0, t.epoch());
    }

    @Test
    void nanInTheInputStopsAtTheStepWhereItAppears() {
        Dataset data = blobs(64, 1);
        data.features().set(5, Float.NaN);
        Trainer t = new Trainer(mlp(1), config().shuffle(false).build());
        NumericalFaultException e = assertThrows(NumericalFaultException.class, () -> t.fit(data, null));
        assertEquals(0, e.step());
        assertTrue(e.getMessage().contains("step 0"), e.getMessage());
    }

    @Test
    void nanStepsCanBeSkippedLeavingParametersUntouched() {
        Dataset data = blobs(16, 1);
        data.features().set(5, Float.NaN);
        Trainer t = new Trainer(mlp(1), config().epochs(1).nanPolicy(NanPolicy.SKIP_STEP).build());
        List<float[]> before = values(t.model());
        EpochMetrics m = t.fit(data, null).get(0);
        assertEquals(1, m.skippedSteps());
        List<float[]> after = values(t.model());
        for (int i = 0; i < before.size(); i++) assertArrayEquals(before.get(i), after.get(i));
    }

    /** A skipped step changes nothing: not the parameters, nor the state its forward touched (BatchNorm's statistics). */
    @Test
    void aSkippedStepLeavesBatchNormStatisticsAsTheyWere() {
        Dataset data = blobs(32, 1);
        data.features().set(16 * 4 + 5, Float.NaN); // in the second batch
        Model bn = Models.installed().parse("mlp(hidden=16, batchnorm=true)").build(new int[] {4}, 3, 1);
        Trainer t = new Trainer(bn, config().epochs(1).shuffle(false).nanPolicy(NanPolicy.SKIP_STEP).build());
        EpochMetrics m = t.fit(data, blobs(30, 2)).get(0);
        assertEquals(1, m.skippedSteps());
        for (var e : t.model().state().entrySet()) {
            for (float v : e.getValue().data()) assertTrue(Float.isFinite(v), e.getKey() + " holds " + v);
        }
        assertTrue(Double.isFinite(m.validationLoss()), "the model still evaluates: " + m.validationLoss());
    }

    /**
     * restoreBest puts back the best epoch's model also when the fit runs to its end, and the whole
     * of what evaluation reads: parameters, BatchNorm statistics and the EMA average. From epoch 2
     * on a callback spoils the model before the epoch (the rate is 0, so only it changes the model).
     */
    @Test
    void earlyStoppingRestoresTheBestModelAtTheEndWithItsStatisticsAndAverage() {
        Dataset train = blobs(60, 1);
        Dataset val = blobs(30, 2);
        Model bn = Models.installed().parse("mlp(hidden=16, batchnorm=true)").build(new int[] {4}, 3, 1);
        TrainingCallback spoil = new TrainingCallback() {
            @Override
            public void onEpochBegin(dev.regula.core.train.TrainingContext ctx, int epoch) {
                if (epoch < 2) return;
                for (Parameter p : ctx.model().parameters()) for (int i = 0; i < p.size(); i++) p.value().data()[i] += 0.3f * ((i % 3) - 1);
            }
        };
        EarlyStopping stop = new EarlyStopping("val_loss", 100, 0, true);
        Trainer t = new Trainer(bn, config().optimizer("sgd(lr=0)").epochs(4).regularizer("ema(decay=0.5)").callback(spoil).callback(stop)
                .build());
        t.evaluateWith(EvalWeights.EMA);
        List<EpochMetrics> h = t.fit(train, val);
        assertEquals(4, h.size(), "ran to the end");
        int best = 1;
        for (EpochMetrics m : h) if (m.validationLoss() < h.get(best - 1).validationLoss()) best = m.epoch();
        assertEquals(best, stop.bestEpoch());
        assertTrue(best < 4, "the last epoch, spoiled most, is not the best");
        assertEquals(h.get(best - 1).validationLoss(), t.evaluate(val).loss(), 1e-12, "the best epoch's evaluation, exactly");
    }

    @Test
    void earlyStoppingStopsWhenTheMonitoredMetricStalls() {
        EarlyStopping stop = new EarlyStopping("val_loss", 2, 0, true);
        Trainer t = new Trainer(mlp(1), config().optimizer("sgd(lr=0)").epochs(20).callback(stop).build());
        List<EpochMetrics> h = t.fit(blobs(60, 1), blobs(30, 2));
        assertEquals(3, h.size(), "epoch 1 sets the best, epochs 2 and 3 do not improve");
        assertNotNull(t.stopReason());
        assertTrue(t.stopReason().contains("val_loss"), t.stopReason());
    }

    @Test
    void batchProgressCarriesTheEpochsRunningLossAndAccuracyMatchingTheEpochMetrics() {
        List<BatchProgress> seen = new ArrayList<>();
        TrainingCallback recorder = new TrainingCallback() {
            @Override
            public void onBatchEnd(Trainer trainer, BatchProgress progress) {
                seen.add(progress);
            }
        };
        Trainer t = new Trainer(mlp(1), config().epochs(2).batchSize(16).callback(recorder).build());
        List<EpochMetrics> h = t.fit(blobs(100, 1), null);
        assertEquals(2 * 7, seen.size(), "7 batches of at most 16 per epoch, 2 epochs");
        BatchProgress endOfFirst = seen.get(6);
        assertEquals(1, endOfFirst.epoch());
        assertEquals(7, endOfFirst.batchesDone());
        assertEquals(7, endOfFirst.batchesPerEpoch());
        assertEquals(100, endOfFirst.examples());
        assertEquals(h.get(0).trainLoss(), endOfFirst.meanLoss(), 1e-12);
        assertEquals(h.get(0).trainAccuracy(), endOfFirst.accuracy(), 1e-12);
        assertEquals(16, seen.get(7).examples(), "the running figures restart with each epoch");
        assertEquals(2, seen.get(7).epoch());
        assertEquals(seen.get(7).batchLoss(), seen.get(7).meanLoss(), 1e-12);
    }

    @Test
    void aSecondConcurrentFitIsRefusedWithAClearError() throws Exception {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        Dataset data = blobs(60, 1);
        Trainer[] holder = new Trainer[1];
        TrainingCallback intruder = new TrainingCallback() {
            @Override
            public void onBatchEnd(Trainer trainer, long step, double loss, int done, int total) {
                if (step != 1) return;
                Thread other = new Thread(() -> {
                    try {
                        holder[0].fit(data, null);
                    } catch (Throwable e) {
                        seen.set(e);
                    }
                });
                other.start();
                try {
                    other.join();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
        };
        holder[0] = new Trainer(mlp(1), config().epochs(1).callback(intruder).build());
        holder[0].fit(data, null);
        assertTrue(seen.get() instanceof IllegalStateException, String.valueOf(seen.get()));
        assertTrue(seen.get().getMessage().contains("already training"), seen.get().getMessage());
        // called again from a callback on the fitting thread itself: said so, not "another thread"
        java.util.concurrent.atomic.AtomicReference<Throwable> inner = new java.util.concurrent.atomic.AtomicReference<>();
        Trainer[] self = new Trainer[1];
        self[0] = new Trainer(mlp(1), config().epochs(1).callback(new TrainingCallback() {
            @Override
            public void onBatchEnd(Trainer trainer, long step, double loss, int done, int total) {
                if (step != 1) return;
                try {
                    self[0].fit(data, null);
                } catch (IllegalStateException e) {
                    inner.set(e);
                }
            }
        }).build());
        self[0].fit(data, null);
        assertTrue(inner.get().getMessage().contains("from inside this trainer's own fit"), String.valueOf(inner.get()));
    }

    @Test
    void inferenceFromManyThreadsMatchesSingleThreadedInference() throws Exception {
        Trainer t = new Trainer(mlp(1), config().epochs(2).regularizer("dropout(p=0.5)").build());
        Dataset data = blobs(200, 1);
        t.fit(data, null);
        Tensor expected = t.predict(data.features());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Tensor>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) results.add(pool.submit(() -> t.predict(data.features())));
            for (Future<Tensor> f : results) assertArrayEquals(expected.data(), f.get().data());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * MC dropout leaves the model as it was (BatchNorm's statistics untouched), uses the running
     * statistics (so one example alone works, and its prediction does not depend on the batch),
     * and still draws dropout noise.
     */
    @Test
    void mcDropoutOnABatchNormModelChangesNothingAndPredictsOneExampleAlone() {
        Dataset data = blobs(60, 1);
        Model bn = Models.installed().parse("mlp(hidden=16, batchnorm=true)").build(new int[] {4}, 3, 1);
        Trainer t = new Trainer(bn, config().epochs(2).regularizer("dropout(p=0.5)").build());
        t.fit(data, null);
        Trainer.Evaluation before = t.evaluate(data);
        java.util.Map<String, float[]> state = new java.util.LinkedHashMap<>();
        t.model().state().forEach((k, v) -> state.put(k, v.data().clone()));
        Trainer.McPrediction batch = t.predictWithDropout(data.features(), 10, 3);
        t.model().state().forEach((k, v) -> assertArrayEquals(state.get(k), v.data(), k + " changed"));
        assertEquals(before.loss(), t.evaluate(data).loss(), 0.0, "evaluation unchanged");
        Tensor first = Tensor.of(java.util.Arrays.copyOf(data.features().data(), 4), 1, 4);
        Trainer.McPrediction alone = t.predictWithDropout(first, 10, 3);
        for (int c = 0; c < 3; c++) assertEquals(batch.mean().get(0, c), alone.mean().get(0, c), 1e-6f, "class " + c);
        double v = 0;
        for (float x : batch.variance().data()) v += x;
        assertTrue(v > 1e-4, "dropout still draws noise: " + v);
    }

    @Test
    void mcDropoutGivesUncertaintyOnlyWhenDropoutIsPresent() {
        Dataset data = blobs(60, 1);
        Trainer with = new Trainer(mlp(1), config().epochs(1).regularizer("dropout(p=0.5)").build());
        Trainer without = new Trainer(mlp(1), config().epochs(1).build());
        with.fit(data, null);
        without.fit(data, null);
        Trainer.McPrediction a = with.predictWithDropout(data.features(), 20, 3);
        Trainer.McPrediction b = without.predictWithDropout(data.features(), 20, 3);
        double va = 0;
        double vb = 0;
        for (float v : a.variance().data()) va += v;
        for (float v : b.variance().data()) vb += v;
        assertTrue(va > 1e-4, "variance with dropout " + va);
        assertEquals(0, vb, 1e-9);
        float rowSum = 0;
        for (int c = 0; c < 3; c++) rowSum += a.mean().get(0, c);
        assertEquals(1f, rowSum, 1e-5f);
    }

    /** For a regression the mean is of the outputs themselves (a softmax over one output would always be 1). */
    @Test
    void mcDropoutOfARegressionAveragesTheOutputs() {
        Dataset data = blobs(60, 1);
        dev.regula.api.model.Model m = dev.regula.api.model.Models.installed().parse("mlp(hidden=8)").build(new int[] {4}, 1, 1);
        Trainer t = new Trainer(m, config().epochs(1).loss(new dev.regula.core.loss.MeanSquaredError()).regularizer("dropout(p=0.5)").build());
        Dataset targets = new Dataset(data.features(), dev.regula.api.tensor.Tensor.of(data.labels().data().clone(), data.size(), 1), 0);
        t.fit(targets, null);
        Trainer.McPrediction p = t.predictWithDropout(data.features(), 30, 3);
        double spread = 0;
        for (float v : p.mean().data()) spread += Math.abs(v - 1);
        assertTrue(spread > 1e-3, "not the constant 1 of a softmax over one output");
        float[] plain = t.predict(data.features()).data();
        double err = 0;
        for (int i = 0; i < plain.length; i++) err += Math.abs(p.mean().data()[i] - plain[i]) / plain.length;
        assertTrue(err < 1.0, "the MC mean stays near the deterministic outputs: " + err);
    }

    @Test
    void proximalL1ProducesExactZerosReportedAsSparsity() {
        Trainer plain = new Trainer(mlp(1), config().epochs(3).build());
        Trainer t = new Trainer(mlp(1), config().epochs(3).regularizer("l1-proximal(lambda=0.5)").build());
        EpochMetrics m = t.fit(blobs(120, 1), null).get(2);
        assertEquals(0, plain.fit(blobs(120, 1), null).get(2).overallSparsity());
        assertTrue(m.overallSparsity() > 0.5, "sparsity " + m.overallSparsity());
        ParameterStats bias = m.parameters().stream().filter(p -> p.name().endsWith("bias")).findFirst().orElseThrow();
        assertTrue(bias.sparsity() < 1.0, "biases are not selected by default");
    }

    @Test
    void theEpochSparsityIsTheWeightsAloneAsEveryReportCountsIt() {
        // one definition for the epoch line, metrics files, compare's table and cross-validation:
        // entries with |w| < 1e-8 among the WEIGHT parameters; a bias of zeros does not count
        Trainer t = new Trainer(mlp(1), config().epochs(2).regularizer("l1-proximal(lambda=0.5)").build());
        EpochMetrics m = t.fit(blobs(120, 1), null).get(1);
        assertEquals(ParameterStats.weightSparsity(t.model().parameters()), m.overallSparsity(), 1e-12);
        for (dev.regula.api.param.Parameter p : t.model().parameters()) {
            if (p.role() == dev.regula.api.param.ParameterRole.BIAS) java.util.Arrays.fill(p.value().data(), 0f);
        }
        double weightsOnly = ParameterStats.weightSparsity(t.model().parameters());
        assertTrue(weightsOnly < 1.0, "weights " + weightsOnly);
        long weights = t.model().parameters().stream().filter(p -> p.role() == dev.regula.api.param.ParameterRole.WEIGHT)
                .mapToLong(p -> p.value().size()).sum();
        long zeros = t.model().parameters().stream().filter(p -> p.role() == dev.regula.api.param.ParameterRole.WEIGHT)
                .mapToLong(p -> { long z = 0; for (float w : p.value().data()) if (Math.abs(w) < 1e-8) z++; return z; }).sum();
        assertEquals(zeros / (double) weights, weightsOnly, 1e-12);
        assertTrue(ParameterStats.isZero(5e-9f) && ParameterStats.isZero(-5e-9f) && !ParameterStats.isZero(2e-8f));
        // statistics that mark no weight (role OTHER, as the five-argument constructor makes them) count every entry
        EpochMetrics unmarked = new EpochMetrics(1, 1, 0.1, 0, 0, java.util.Map.of(), Double.NaN, Double.NaN,
                java.util.List.of(new ParameterStats("a", 4, 1, 1, 0.5), new ParameterStats("b", 4, 1, 1, 0)), 0, 1, 1);
        assertEquals(0.25, unmarked.overallSparsity(), 1e-12, "not 0, as if dense");
    }

    @Test
    void aCriticGradientPenaltyIsRefusedWithTheAlternatives() {
        dev.regula.api.regularizer.ScoreGradientRegularizer r1 = new dev.regula.api.regularizer.ScoreGradientRegularizer() {
            @Override
            public String name() {
                return "r1";
            }

            @Override
            public String spec() {
                return "r1(gamma=10, every=16)";
            }

            @Override
            public Samples samples() {
                return Samples.REAL;
            }

            @Override
            public double gamma(dev.regula.api.StepContext ctx) {
                return 10;
            }

            @Override
            public int every() {
                return 16;
            }
        };
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new Trainer(mlp(1), config().regularizer(r1).build()));
        assertTrue(e.getMessage().contains("r1(gamma=10, every=16)") && e.getMessage().contains("input-gradient")
                && e.getMessage().contains("--d-reg"), e.getMessage());
    }
}
