package dev.regula.spark;

import dev.regula.api.Mode;
import dev.regula.api.StepContext;
import dev.regula.api.kernels.KernelsSelection;
import dev.regula.api.model.Model;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.data.Dataset;
import dev.regula.core.train.Trainer;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Models with BatchNorm: per-worker batch statistics, running statistics averaged by rows on the driver. */
class BatchNormTest {
    private static JavaSparkContext sc;
    private static final Dataset TRAIN = LocalSpark.data(160, 6, 11);
    /** 80 rows for worker 0, 81 for worker 1. */
    private static final Dataset ODD = LocalSpark.data(161, 6, 12);
    private static final String MODEL = "mlp(hidden=10x8, batchnorm=true)";

    @BeforeAll
    static void start() {
        sc = LocalSpark.start("BatchNormTest");
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    private static SparkTrainingConfig.Builder base() {
        return SparkTrainingConfig.builder().model(MODEL).optimizer("sgd(lr=0.1, momentum=0.9)").regularizer("l2(lambda=1e-3)")
                .epochs(2).batchSize(40).seed(3);
    }

    @Test
    void oneWorkerEqualsSingleMachineIncludingRunningStatistics() {
        for (int k : new int[] {1, 3}) {
            SparkTrainingConfig c = base().syncEvery(k).workers(1).build();
            Trainer single = LocalSpark.singleMachine(c, TRAIN);
            try (SparkTrainer spark = SparkTrainer.forData(sc, c, TRAIN)) {
                spark.fit(TRAIN, null);
                LocalSpark.assertClose(single.model().parameters(), spark.parameters(), 1e-5);
                Map<String, Tensor> expected = single.model().state();
                Map<String, Tensor> actual = spark.model().state();
                assertEquals(4, expected.size()); // bn1, bn2: running mean and variance
                assertEquals(expected.keySet(), actual.keySet());
                for (String name : expected.keySet()) {
                    assertClose(expected.get(name).data(), actual.get(name).data(), 1e-5, "K = " + k + ", " + name);
                }
                assertEquals(single.evaluate(TRAIN).loss(), spark.evaluate(TRAIN).loss(), 1e-4);
            }
        }
    }

    @Test
    void convolutionalModelWithOneWorkerEqualsSingleMachine() {
        // BatchNorm2d (statistics over batch and pixels) in bn1, bn2 and BatchNorm1d in bn_dense.
        Dataset images = LocalSpark.data(120, 36, 13); // [36] becomes [1, 6, 6]
        SparkTrainingConfig c = base().model("cnn(channels=3x4, dense=5, batchnorm=true)").epochs(1).workers(1).syncEvery(1).build();
        Trainer single = LocalSpark.singleMachine(c, images);
        try (SparkTrainer spark = SparkTrainer.forData(sc, c, images)) {
            spark.fit(images, null);
            LocalSpark.assertClose(single.model().parameters(), spark.parameters(), 1e-5);
            Map<String, Tensor> expected = single.model().state();
            assertEquals(6, expected.size());
            for (String name : expected.keySet()) {
                assertClose(expected.get(name).data(), spark.model().state().get(name).data(), 1e-5, name);
            }
        }
    }

    @Test
    void twoWorkersAverageTheirRunningStatisticsByRows() {
        // One global batch holding every row: worker 0 has rows [0, 80), worker 1 rows [80, 161). Each
        // normalises with its own rows' statistics; the driver's running statistics must be the
        // 80:81 mean of what each worker's copy recorded from its rows at the initial weights.
        SparkTrainingConfig c = base().epochs(1).batchSize(ODD.size()).workers(2).syncEvery(1).build();
        Map<String, Tensor> first = recorded(c, ODD.subset(0, 80));
        Map<String, Tensor> second = recorded(c, ODD.subset(80, 161));
        Map<String, Tensor> global = recorded(c, ODD);
        try (SparkTrainer spark = SparkTrainer.forData(sc, c, ODD)) {
            spark.fit(ODD, null);
            assertEquals(1, spark.step());
            Map<String, Tensor> actual = spark.model().state();
            boolean differsFromGlobal = false;
            for (String name : actual.keySet()) {
                float[] a = first.get(name).data();
                float[] b = second.get(name).data();
                float[] expected = new float[a.length];
                for (int i = 0; i < a.length; i++) expected[i] = (float) ((80.0 * a[i] + 81.0 * b[i]) / 161);
                assertClose(expected, actual.get(name).data(), 1e-6, name);
                float[] g = global.get(name).data();
                for (int i = 0; i < g.length; i++) differsFromGlobal |= Math.abs(g[i] - actual.get(name).data()[i]) > 1e-4;
            }
            // The running variance of the global batch also holds the spread between the workers' means.
            assertTrue(differsFromGlobal, "per-worker statistics should differ from those of the whole batch");
        }
    }

    /** The running statistics a fresh copy of the model records from one TRAIN forward of these rows. */
    private static Map<String, Tensor> recorded(SparkTrainingConfig c, Dataset rows) {
        Model m = c.model().build(rows.exampleShape(), 3, c.seed());
        m.forward(rows.features(), new StepContext(Mode.TRAIN, 0, 0, 0.1, c.seed(), KernelsSelection.create(1)));
        return m.state();
    }

    @Test
    void resumedRunKeepsTheRunningStatistics(@TempDir Path dir) throws Exception {
        for (int k : new int[] {1, 2}) {
            SparkTrainingConfig two = base().syncEvery(k).workers(2).build();
            SparkTrainingConfig one = base().epochs(1).syncEvery(k).workers(2).build();
            Path file = dir.resolve("checkpoint-" + k + ".safetensors");
            try (SparkTrainer whole = SparkTrainer.forData(sc, two, TRAIN)) {
                whole.fit(TRAIN, null);
                try (SparkTrainer first = SparkTrainer.forData(sc, one, TRAIN)) {
                    first.fit(TRAIN, null);
                    SparkCheckpoints.save(file, first);
                }
                try (SparkTrainer second = SparkTrainer.forData(sc, two, TRAIN)) {
                    SparkCheckpoints.resume(file, second);
                    Map<String, Tensor> restored = second.model().state();
                    assertFalse(restored.get("bn1.running_var").data()[0] == 1f, "the running variance was restored, not left at 1");
                    second.fit(TRAIN, null);
                    LocalSpark.assertSame(whole.parameters(), second.parameters());
                    for (String name : restored.keySet()) {
                        assertArrayEquals(whole.model().state().get(name).data(), restored.get(name).data(), "K = " + k + ", " + name);
                    }
                }
            }
        }
    }

    @Test
    void aGlobalBatchOfOneExampleIsRefusedBeforeAnyRound() {
        // 161 rows, batch 40: the last global batch holds one row, which no BatchNorm can train on
        SparkTrainingConfig c = base().epochs(1).workers(2).syncEvery(1).build();
        try (SparkTrainer spark = SparkTrainer.forData(sc, c, ODD)) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> spark.fit(ODD, null));
            assertTrue(e.getMessage().contains("161 examples, one more than a multiple of the batch size 40"), e.getMessage());
            assertEquals(0, spark.epoch(), "no epoch ran");
        }
    }

    private static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(expected[i] - actual[i]);
            assertTrue(err <= tolerance * (1 + Math.abs(expected[i])), what + "[" + i + "]: expected " + expected[i] + ", got " + actual[i]);
        }
    }
}
