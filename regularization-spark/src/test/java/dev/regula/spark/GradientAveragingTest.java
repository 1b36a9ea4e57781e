package dev.regula.spark;

import dev.regula.api.param.Parameter;
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

/** K = 1: gradient averaging is single-machine training with the global batch. */
class GradientAveragingTest {
    private static JavaSparkContext sc;
    private static final Dataset TRAIN = LocalSpark.data(203, 6, 7);

    @BeforeAll
    static void start() {
        sc = LocalSpark.start("GradientAveragingTest");
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    private static SparkTrainingConfig.Builder base() {
        return SparkTrainingConfig.builder().model("mlp(hidden=12)").epochs(2).batchSize(50).syncEvery(1).seed(5);
    }

    @Test
    void equalsSingleMachineWithEveryStageOfThePipeline() {
        // Penalty (GRADIENT), decoupled decay, clipping, proximal L1, max-norm constraint, momentum:
        // each must count once, on the averaged gradient, for the two runs to agree.
        SparkTrainingConfig c = base().optimizer("sgd(lr=0.1, momentum=0.9)").regularizer("l2(lambda=1e-3)")
                .regularizer("weight-decay(lambda=0.01)").regularizer("clip-norm(max=1)").regularizer("l1-proximal(lambda=1e-3)")
                .regularizer("max-norm(max=0.8)").workers(3).build();
        Trainer single = LocalSpark.singleMachine(c, TRAIN);
        try (SparkTrainer spark = SparkTrainer.forData(sc, c, TRAIN)) {
            List<SparkEpoch> epochs = spark.fit(TRAIN, TRAIN);
            assertEquals(2, epochs.size());
            assertEquals(single.step(), spark.step());
            assertEquals(5, epochs.get(0).synchronisations()); // ceil(203 / 50) global batches, one job each
            LocalSpark.assertClose(single.model().parameters(), spark.parameters(), 2e-5);
            assertEquals(single.evaluate(TRAIN).loss(), spark.evaluate(TRAIN).loss(), 1e-4);
        }
    }

    @Test
    void learnableAndAnchoredRegularizersAreOwnedByTheDriver() {
        SparkTrainingConfig c = base().optimizer("adam(lr=0.01)").regularizer("soft-anchor(lambda=0.1, anchor_lr=0.01)")
                .regularizer("soft-weight-sharing(lambda=1e-3, components=4)").workers(2).build();
        Trainer single = LocalSpark.singleMachine(c, TRAIN);
        try (SparkTrainer spark = SparkTrainer.forData(sc, c, TRAIN)) {
            spark.fit(TRAIN, null);
            LocalSpark.assertClose(single.model().parameters(), spark.parameters(), 5e-5);
            List<Parameter> ownSingle = single.pipeline().learnableRegularizers().stream().flatMap(l -> l.ownParameters().stream()).toList();
            List<Parameter> ownSpark = spark.localTrainer().pipeline().learnableRegularizers().stream()
                    .flatMap(l -> l.ownParameters().stream()).toList();
            assertTrue(!ownSingle.isEmpty());
            LocalSpark.assertClose(ownSingle, ownSpark, 5e-5);
        }
    }

    @Test
    void inputGradientPenaltyIsComputedOnTheWorkers() {
        // The second backward pass of phase (a) runs where the rows are; its mean over the global batch is the single-machine one.
        SparkTrainingConfig c = base().epochs(1).optimizer("sgd(lr=0.1)").regularizer("input-gradient(lambda=0.1)").workers(2).build();
        Trainer single = LocalSpark.singleMachine(c, TRAIN);
        try (SparkTrainer spark = SparkTrainer.forData(sc, c, TRAIN)) {
            spark.fit(TRAIN, null);
            LocalSpark.assertClose(single.model().parameters(), spark.parameters(), 5e-5);
        }
    }

    @Test
    void resumedRunContinuesAsTheUninterruptedOne(@TempDir Path dir) throws Exception {
        // soft weight sharing: a learnable regularizer whose own Adam state must come back exactly
        SparkTrainingConfig two = base().optimizer("adam(lr=0.01)").regularizer("l2(lambda=1e-3)")
                .regularizer("soft-weight-sharing(lambda=1e-3, components=4)").build();
        SparkTrainingConfig one = base().epochs(1).optimizer("adam(lr=0.01)").regularizer("l2(lambda=1e-3)")
                .regularizer("soft-weight-sharing(lambda=1e-3, components=4)").build();
        Path file = dir.resolve("checkpoint.safetensors");
        try (SparkTrainer whole = SparkTrainer.forData(sc, two, TRAIN)) {
            whole.fit(TRAIN, null);
            try (SparkTrainer first = SparkTrainer.forData(sc, one, TRAIN)) {
                first.fit(TRAIN, null);
                SparkCheckpoints.save(file, first);
            }
            assertTrue(dev.regula.core.checkpoint.Checkpoint.load(file).float64State().containsKey("own_state/1/moment2.means"),
                    "the own optimizer state is kept as float64 tensors");
            try (SparkTrainer second = SparkTrainer.forData(sc, two, TRAIN)) {
                SparkCheckpoints.resume(file, second);
                assertEquals(1, second.epoch());
                assertEquals(1, second.fit(TRAIN, null).size());
                assertEquals(whole.step(), second.step());
                LocalSpark.assertSame(whole.parameters(), second.parameters());
            }
        }
    }
}
