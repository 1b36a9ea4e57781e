package dev.regula.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.model.Model;
import dev.regula.api.model.Models;
import dev.regula.api.param.Parameter;
import dev.regula.api.regularizer.WeightAverager;
import dev.regula.core.data.Dataset;
import dev.regula.core.kernels.ScalarKernels;
import dev.regula.core.layer.BatchNorm;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BatchNorm statistics recomputed for averaged weights, as PyTorch's {@code swa_utils.update_bn}. */
class BatchNormUpdateTest {
    private static Model bnMlp(long seed) {
        return Models.installed().parse("mlp(hidden=6, batchnorm=true)").build(new int[] {4}, 3, seed);
    }

    /**
     * The expected statistics by hand: the BatchNorm input is dense1(x) = x·Wᵀ + b with the given
     * weights; per batch of {@code batch} examples in order, its mean and unbiased variance per
     * unit; then the plain mean over the batches (a trailing single example left out).
     */
    private static double[][] expected(float[] w, float[] b, Dataset data, int batch) {
        int units = b.length;
        int in = w.length / units;
        float[] x = data.features().data();
        double[] mean = new double[units];
        double[] var = new double[units];
        int batches = 0;
        for (int from = 0; from < data.size(); from += batch) {
            int to = Math.min(data.size(), from + batch);
            int n = to - from;
            if (n < 2) break;
            for (int u = 0; u < units; u++) {
                double[] h = new double[n];
                for (int i = 0; i < n; i++) {
                    double s = b[u];
                    for (int k = 0; k < in; k++) s += (double) x[(from + i) * in + k] * w[u * in + k];
                    h[i] = s;
                }
                double m = Arrays.stream(h).average().orElseThrow();
                double sq = 0;
                for (double v : h) sq += (v - m) * (v - m);
                mean[u] += m;
                var[u] += sq / (n - 1);
            }
            batches++;
        }
        for (int u = 0; u < units; u++) {
            mean[u] /= batches;
            var[u] /= batches;
        }
        return new double[][] {mean, var};
    }

    @Test
    void afterSwaTheRunningStatisticsAreThoseOfAFreshPassWithTheAveragedWeights() {
        Dataset train = TrainerTest.blobs(203, 1); // 203 = 12 batches of 16 + 11: a short last batch
        Trainer t = new Trainer(bnMlp(1), TrainerTest.config().epochs(3).regularizer("swa(start_epoch=1)").build());
        t.fit(train, null);
        t.evaluateWith(EvalWeights.SWA);
        BatchNorm bn = BatchNormUpdate.batchNorms(t.model()).getFirst();
        float[] trainedMean = bn.runningMean().data().clone();
        List<float[]> live = TrainerTest.values(t.model());
        WeightAverager swa = t.pipeline().weightAverager("swa").orElseThrow();
        Parameter w = t.model().parameters().get(0);
        Parameter b = t.model().parameters().get(1);
        assertEquals("dense1.weight", w.name());
        double[][] want = expected(swa.average(w).orElseThrow().data(), swa.average(b).orElseThrow().data(), train, 16);

        assertEquals(1, t.updateBatchNorm(train));
        float[] mean = bn.runningMean().data();
        float[] var = bn.runningVar().data();
        for (int u = 0; u < mean.length; u++) {
            assertEquals(want[0][u], mean[u], 1e-5 * (1 + Math.abs(want[0][u])), "running mean " + u);
            assertEquals(want[1][u], var[u], 1e-5 * (1 + Math.abs(want[1][u])), "running var " + u);
        }
        assertFalse(Arrays.equals(trainedMean, mean), "the statistics of the live training differ from the averaged weights'");
        assertArrayEquals(live.toArray(), TrainerTest.values(t.model()).toArray(), "parameters (live) are unchanged");

        // a second update gives the same statistics: the pass starts from reset statistics
        float[] once = mean.clone();
        t.updateBatchNorm(train);
        assertArrayEquals(once, bn.runningMean().data());

        // and the EVAL output with the swa weights now equals a model holding the averages and these statistics
        Model copy = bnMlp(1);
        for (int i = 0; i < copy.parameters().size(); i++) {
            copy.parameters().get(i).value().copyFrom(swa.average(t.model().parameters().get(i)).orElseThrow());
        }
        BatchNorm copyBn = BatchNormUpdate.batchNorms(copy).getFirst();
        copyBn.runningMean().copyFrom(bn.runningMean());
        copyBn.runningVar().copyFrom(bn.runningVar());
        assertArrayEquals(copy.forward(train.features(), dev.regula.api.StepContext.eval(new ScalarKernels())).data(),
                t.predict(train.features()).data(), 1e-6f);
    }

    @Test
    void momentumAveragesResumeAfterTheUpdateAndBadArgumentsAreRefused() {
        Model m = bnMlp(2);
        Dataset data = TrainerTest.blobs(40, 3);
        BatchNorm bn = BatchNormUpdate.batchNorms(m).getFirst();
        assertEquals(1, BatchNormUpdate.update(m, data, 8, new ScalarKernels(), 1));
        float[] after = bn.runningMean().data().clone();
        m.forward(data.subset(0, 8).features(), new dev.regula.api.StepContext(dev.regula.api.Mode.TRAIN, 0, 0, 0, 1, new ScalarKernels()));
        // one more TRAIN batch moves the statistics by momentum 0.1 only (not an equal-weight average any more)
        double batchMean = 0;
        float[] w = m.parameters().get(0).value().data();
        float[] bias = m.parameters().get(1).value().data();
        float[] x = data.features().data();
        for (int i = 0; i < 8; i++) {
            double s = bias[0];
            for (int k = 0; k < 4; k++) s += (double) x[i * 4 + k] * w[k];
            batchMean += s / 8;
        }
        assertEquals(0.9 * after[0] + 0.1 * batchMean, bn.runningMean().data()[0], 1e-5);
        assertThrows(IllegalArgumentException.class, () -> BatchNormUpdate.update(m, data, 1, new ScalarKernels(), 1));
        assertThrows(IllegalArgumentException.class, () -> BatchNormUpdate.update(m, data.subset(0, 1), 8, new ScalarKernels(), 1));
        Model plain = Models.installed().parse("mlp(hidden=6)").build(new int[] {4}, 3, 1);
        assertEquals(0, BatchNormUpdate.update(plain, data, 8, new ScalarKernels(), 1), "nothing to do without BatchNorm");
        assertTrue(BatchNormUpdate.batchNorms(Models.installed().parse("mlp(hidden=6x6, batchnorm=true, residual=true)")
                .build(new int[] {4}, 3, 1)).size() == 2, "BatchNorm inside residual blocks is found");
    }

    @Test
    void aLastBatchOfOneThatWouldReachADenseBatchNormIsRefusedBeforeAnythingRuns() {
        Model m = bnMlp(3);
        float[] before = m.parameters().get(0).value().data().clone();
        List<String> calls = new java.util.ArrayList<>();
        TrainingCallback recorder = new TrainingCallback() {
            @Override
            public void onTrainBegin(TrainingContext context) {
                calls.add("begin");
            }
        };
        Trainer t = new Trainer(m, TrainerTest.config().epochs(1).batchSize(16).callback(recorder).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.fit(TrainerTest.blobs(33, 1), null));
        assertTrue(e.getMessage().contains("33 examples, one more than a multiple of the batch size 16"), e.getMessage());
        assertTrue(e.getMessage().contains("BatchNorm layer 'bn1'") && e.getMessage().contains("such as 15"), e.getMessage());
        assertEquals(List.of(), calls, "refused before any callback began");
        assertArrayEquals(before, m.parameters().get(0).value().data(), 0f, "no step was taken");
        assertEquals(1, t.fit(TrainerTest.blobs(34, 1), null).size(), "a last batch of 2 trains");

        Trainer single = new Trainer(bnMlp(3), TrainerTest.config().epochs(1).batchSize(1).build());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> single.fit(TrainerTest.blobs(6, 1), null))
                .getMessage().contains("batch size of 1"));
        Model plain = Models.installed().parse("mlp(hidden=6)").build(new int[] {4}, 3, 1);
        assertEquals(1, new Trainer(plain, TrainerTest.config().epochs(1).batchSize(16).build()).fit(TrainerTest.blobs(33, 1), null).size(),
                "without BatchNorm a batch of 1 trains");
    }

    @Test
    void onlyBatchNormLayersWithOneValuePerChannelAndExampleAreFound() {
        assertEquals("bn1", BatchNormUpdate.firstWithOneValuePerChannel(bnMlp(1)).name());
        assertEquals("bn1", BatchNormUpdate.firstWithOneValuePerChannel(Models.installed()
                .parse("mlp(hidden=6x6, batchnorm=true, residual=true)").build(new int[] {4}, 3, 1)).name(), "inside a residual block");
        Model convOnly = Models.installed().parse("cnn(channels=2, dense=0, batchnorm=true)").build(new int[] {1, 8, 8}, 3, 1);
        assertEquals(null, BatchNormUpdate.firstWithOneValuePerChannel(convOnly), "a convolution's BatchNorm sees every position");
        Model conv = Models.installed().parse("cnn(channels=2, dense=4, batchnorm=true)").build(new int[] {1, 8, 8}, 3, 1);
        assertEquals("bn_dense", BatchNormUpdate.firstWithOneValuePerChannel(conv).name());
    }
}
