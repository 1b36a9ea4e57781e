package dev.regula.spark;

import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.core.data.Dataset;
import dev.regula.core.train.Trainer;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** K &gt; 1: local SGD with parameter and optimizer-state averaging. */
class LocalSgdTest {
    private static JavaSparkContext sc;
    private static final Dataset TRAIN = LocalSpark.data(160, 6, 11);

    @BeforeAll
    static void start() {
        sc = LocalSpark.start("LocalSgdTest");
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    @Test
    void oneWorkerIsSingleMachineTrainingPenaltiesDecayAndMomentumCountedOnce() {
        // One worker, K = 3: the worker's steps are the single-machine steps; the optimizer state
        // (momentum) travels driver -> worker -> driver every round; penalty and decoupled decay
        // are applied once per step, not once more by the driver.
        SparkTrainingConfig c = SparkTrainingConfig.builder().model("mlp(hidden=8)").optimizer("sgd(lr=0.1, momentum=0.9)")
                .regularizer("l2(lambda=1e-2)").regularizer("weight-decay(lambda=0.05)")
                .epochs(2).batchSize(20).syncEvery(3).workers(1).seed(3).build();
        Trainer single = LocalSpark.singleMachine(c, TRAIN);
        try (SparkTrainer spark = SparkTrainer.forData(sc, c, TRAIN)) {
            List<SparkEpoch> epochs = spark.fit(TRAIN, null);
            assertEquals(3, epochs.get(0).synchronisations()); // 8 global batches in rounds of 3, 3, 2
            assertEquals(single.step(), spark.step());
            LocalSpark.assertClose(single.model().parameters(), spark.parameters(), 1e-5);
        }
    }

    @Test
    void constraintsAndProximalOperatorsHoldForTheAveragedParameters() {
        // Averages of unit-norm rows are shorter than 1 and averages of sparse rows are dense: only
        // the driver's projection and soft-thresholding of the average leave them unit and sparse.
        SparkTrainingConfig c = SparkTrainingConfig.builder().model("mlp(hidden=8)").optimizer("sgd(lr=0.2)")
                .regularizer("l1-proximal(lambda=0.05)").regularizer("unit-norm(on=weights)")
                .epochs(1).batchSize(40).syncEvery(2).workers(2).seed(3).build();
        try (SparkTrainer spark = SparkTrainer.forData(sc, c, TRAIN)) {
            spark.fit(TRAIN, null);
            int zeros = 0;
            for (Parameter p : spark.parameters()) {
                if (p.role() != ParameterRole.WEIGHT) continue;
                float[] w = p.value().data();
                int rows = p.value().dim(0);
                int cols = w.length / rows;
                for (int r = 0; r < rows; r++) {
                    double sq = 0;
                    for (int k = 0; k < cols; k++) {
                        sq += (double) w[r * cols + k] * w[r * cols + k];
                        if (w[r * cols + k] == 0f) zeros++;
                    }
                    if (sq > 0) assertEquals(1.0, Math.sqrt(sq), 1e-5, p.name() + " row " + r + " is not unit-norm");
                }
            }
            assertTrue(zeros > 0, "the averaged weights have no exact zeros: the proximal step did not run on the average");
        }
    }

    @Test
    void resumedRunContinuesAsTheUninterruptedOne(@TempDir Path dir) throws Exception {
        SparkTrainingConfig.Builder b = SparkTrainingConfig.builder().model("mlp(hidden=8)").optimizer("adam(lr=0.01)")
                .regularizer("l2(lambda=1e-3)").regularizer("max-norm(max=0.5)").batchSize(40).syncEvery(2).workers(2).seed(9);
        Path file = dir.resolve("checkpoint.safetensors");
        try (SparkTrainer whole = SparkTrainer.forData(sc, b.epochs(2).build(), TRAIN)) {
            whole.fit(TRAIN, null);
            try (SparkTrainer first = SparkTrainer.forData(sc, b.epochs(1).build(), TRAIN)) {
                first.fit(TRAIN, null);
                SparkCheckpoints.save(file, first);
            }
            try (SparkTrainer second = SparkTrainer.forData(sc, b.epochs(2).build(), TRAIN)) {
                SparkCheckpoints.resume(file, second);
                second.fit(TRAIN, null);
                LocalSpark.assertSame(whole.parameters(), second.parameters());
            }
        }
    }

    /** The caller's settings (the data a run trains on) are recorded and checked at resume; an older checkpoint without them is not refused. */
    @Test
    void aResumeOnOtherDataIsRefused(@TempDir Path dir) throws Exception {
        SparkTrainingConfig config = SparkTrainingConfig.builder().model("mlp(hidden=8)").optimizer("sgd(lr=0.05)").batchSize(40)
                .workers(2).seed(9).epochs(1).build();
        Path file = dir.resolve("checkpoint.safetensors");
        Path old = dir.resolve("old.safetensors");
        try (SparkTrainer first = SparkTrainer.forData(sc, config, TRAIN)) {
            first.fit(TRAIN, null);
            SparkCheckpoints.save(file, first, java.util.Map.of("train_examples", "3000"));
            SparkCheckpoints.save(old, first);
        }
        try (SparkTrainer second = SparkTrainer.forData(sc, config, TRAIN)) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> SparkCheckpoints.resume(file, second, java.util.Map.of("train_examples", "2000")));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("train_examples = 3000, this run has 2000"), e.getMessage());
        }
        try (SparkTrainer third = SparkTrainer.forData(sc, config, TRAIN)) {
            SparkCheckpoints.resume(old, third, java.util.Map.of("train_examples", "2000"));
        }
    }
}
