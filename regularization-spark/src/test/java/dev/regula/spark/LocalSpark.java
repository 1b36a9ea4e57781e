package dev.regula.spark;

import dev.regula.api.param.Parameter;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.data.Dataset;
import dev.regula.core.loss.SoftmaxCrossEntropy;
import dev.regula.core.train.Trainer;
import dev.regula.core.train.TrainingConfig;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test fixture: one local[2] context per test class, loopback only, no UI; small data and references. */
final class LocalSpark {
    private LocalSpark() {
    }

    static JavaSparkContext start(String testClass) {
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName(testClass)
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.ui.showConsoleProgress", "false");
        JavaSparkContext sc = new JavaSparkContext(conf);
        sc.setLogLevel("WARN");
        return sc;
    }

    /** n rows of d Gaussian features, labels the argmax of a fixed linear map into 3 classes. */
    static Dataset data(int n, int d, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n * d];
        float[] y = new float[n];
        float[] w = new float[d * 3];
        for (int i = 0; i < w.length; i++) w[i] = (float) rng.nextGaussian();
        for (int i = 0; i < n; i++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < d; j++) x[i * d + j] = (float) rng.nextGaussian();
            for (int c = 0; c < 3; c++) {
                double s = 0;
                for (int j = 0; j < d; j++) s += x[i * d + j] * w[j * 3 + c];
                if (s > best) {
                    best = s;
                    y[i] = c;
                }
            }
        }
        return new Dataset(Tensor.wrap(x, n, d), Tensor.wrap(y, n), 3);
    }

    /** The single-machine run of the same settings (global batch = batch). */
    static Trainer singleMachine(SparkTrainingConfig c, Dataset train) {
        TrainingConfig.Builder b = TrainingConfig.builder().optimizer(c.optimizer()).loss(new SoftmaxCrossEntropy(0))
                .epochs(c.epochs()).batchSize(c.batchSize()).seed(c.seed()).shuffle(c.shuffle()).threads(1);
        for (RegularizerSource r : c.regularizers()) b.regularizer(r.create());
        Trainer t = new Trainer(c.model().build(train.exampleShape(), train.numClasses(), c.seed()), b.build());
        t.fit(train, null);
        return t;
    }

    static void assertClose(List<Parameter> expected, List<Parameter> actual, double tolerance) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            float[] e = expected.get(i).value().data();
            float[] a = actual.get(i).value().data();
            assertEquals(e.length, a.length, expected.get(i).name());
            for (int j = 0; j < e.length; j++) {
                double err = Math.abs(e[j] - a[j]);
                assertTrue(err <= tolerance * (1 + Math.abs(e[j])), expected.get(i).name() + "[" + j + "]: single machine " + e[j]
                        + ", Spark " + a[j] + " (difference " + err + ")");
            }
        }
    }

    static void assertSame(List<Parameter> expected, List<Parameter> actual) {
        for (int i = 0; i < expected.size(); i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected.get(i).value().data(), actual.get(i).value().data(),
                    expected.get(i).name());
        }
    }
}
