package dev.regula.spark;

import dev.regula.core.data.Dataset;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Random masks are keyed per worker: two workers never share a stream (no Spark needed). */
class WorkerMasksTest {
    @Test
    void workerSeedsAreDistinctAndDifferFromTheRunSeed() {
        Set<Long> seen = new HashSet<>();
        for (int w = 0; w < 1000; w++) seen.add(Rounds.workerSeed(42, w));
        assertEquals(1000, seen.size());
        assertFalse(seen.contains(42L));
        assertNotEquals(Rounds.workerSeed(42, 0), Rounds.workerSeed(43, 0));
    }

    /** Two workers holding identical rows: equal gradients without dropout, different masks (and gradients) with it. */
    @Test
    void identicalRowsOnTwoWorkersGetDifferentDropoutMasks() {
        Dataset rows = LocalSpark.data(16, 5, 2);
        float[] same = gradientOf(0, rows, false)[0];
        assertArrayEquals(same, gradientOf(1, rows, false)[0]);
        float[][] g0 = gradientOf(0, rows, true);
        float[][] g1 = gradientOf(1, rows, true);
        boolean differ = false;
        for (int i = 0; i < g0.length; i++) differ |= !java.util.Arrays.equals(g0[i], g1[i]);
        assertFalse(!differ, "workers 0 and 1 drew the same dropout masks");
    }

    private static float[][] gradientOf(int worker, Dataset rows, boolean dropout) {
        SparkTrainingConfig.Builder b = SparkTrainingConfig.builder().model("mlp(hidden=32)").optimizer("sgd(lr=0.1)")
                .batchSize(16).workers(1).shuffle(false).seed(1);
        if (dropout) b.regularizer("dropout(p=0.5)");
        SparkTrainingConfig c = b.build();
        Replica driver = Replica.build(c, rows.exampleShape(), 3, Replica.Role.DRIVER, 1);
        Shard shard = new Shard(worker, 0, rows.features().data(), rows.features().shape(), rows.labels().data(),
                rows.labels().shape(), 3);
        Round round = new Round(0, 0, 1, 0, rows.size(), rows.exampleShape(), 3);
        RoundResult r = Rounds.run(c, driver.snapshot(false), round, shard);
        assertEquals(16, r.rows());
        assertEquals(Map.of(), r.optimizerState());
        return r.values();
    }
}
