package dev.regula.spark;

import dev.regula.core.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Training on an RDD of rows that the executors produce themselves: the data never passes through the driver. */
class RddRowsTest {
    private static JavaSparkContext sc;
    private static final int N = 203;

    @BeforeAll
    static void start() {
        sc = LocalSpark.start("RddRowsTest");
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    /** Rows [from, to) of the test data set as feature-then-label arrays, made where this runs (an executor's task). */
    private static List<float[]> rows(int from, int to) {
        Dataset d = LocalSpark.data(N, 6, 7);
        List<float[]> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            float[] row = new float[7];
            System.arraycopy(d.features().data(), i * 6, row, 0, 6);
            row[6] = d.labels().data()[i];
            out.add(row);
        }
        return out;
    }

    /** Two partitions whose rows are generated inside the tasks: rows [0, 101) and [101, 203), the split of the in-memory path. */
    private static JavaRDD<float[]> generated() {
        return sc.parallelize(List.of(0, 1), 2).flatMap(p -> rows(p == 0 ? 0 : N / 2, p == 0 ? N / 2 : N).iterator());
    }

    private static SparkTrainingConfig.Builder base() {
        return SparkTrainingConfig.builder().model("mlp(hidden=12)").optimizer("sgd(lr=0.1, momentum=0.9)").regularizer("l2(lambda=1e-3)")
                .epochs(2).batchSize(50).workers(2).seed(5);
    }

    @Test
    void rowsReadByTheExecutorsGiveTheRunOfTheSameRowsInMemory() {
        Dataset train = LocalSpark.data(N, 6, 7);
        for (int k : new int[] {1, 3}) {
            SparkTrainingConfig c = base().syncEvery(k).build();
            try (SparkTrainer fromDriver = SparkTrainer.forData(sc, c, train);
                 SparkTrainer fromExecutors = new SparkTrainer(sc, c, new int[] {6}, 3)) {
                List<SparkEpoch> a = fromDriver.fit(train, train);
                List<SparkEpoch> b = fromExecutors.fit(generated(), train, e -> { });
                assertEquals(fromDriver.step(), fromExecutors.step());
                assertEquals(a.get(1).trainLoss(), b.get(1).trainLoss(), 0.0);
                assertEquals(a.get(1).trainAccuracy(), b.get(1).trainAccuracy(), 0.0);
                LocalSpark.assertSame(fromDriver.parameters(), fromExecutors.parameters());
            }
        }
    }

    @Test
    void malformedRowsAndPartitionsAreNamed() {
        SparkTrainingConfig c = base().epochs(1).build();
        try (SparkTrainer t = new SparkTrainer(sc, c, new int[] {6}, 3)) {
            JavaRDD<float[]> three = sc.parallelize(rows(0, 30), 3);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.fit(three, null, x -> { }));
            assertTrue(e.getMessage().contains("3 partitions but the run has 2 workers"), e.getMessage());

            List<float[]> shortRow = rows(0, 30);
            shortRow.set(20, new float[5]);
            e = assertThrows(IllegalArgumentException.class, () -> t.fit(sc.parallelize(shortRow, 2), null, x -> { }));
            assertTrue(e.getMessage().contains("row 5 of partition 1 (global row 20) has 5 values; expected 6 features [6] followed by 1 class index = 7"),
                    e.getMessage());

            List<float[]> badLabel = rows(0, 30);
            badLabel.get(3)[6] = 7;
            e = assertThrows(IllegalArgumentException.class, () -> t.fit(sc.parallelize(badLabel, 2), null, x -> { }));
            assertTrue(e.getMessage().contains("partition 0") && e.getMessage().contains("label 7.0 of example 3"), e.getMessage());
        }
    }
}
