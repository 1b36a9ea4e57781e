package dev.regula.core.regularizer.soft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.StepContext;
import dev.regula.api.model.Models;
import dev.regula.api.regularizer.OutputRegularizer;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.spec.SpecException;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.data.Dataset;
import dev.regula.core.kernels.ScalarKernels;
import dev.regula.core.loss.MeanSquaredError;
import dev.regula.core.testing.GradientCheck;
import dev.regula.core.train.EpochMetrics;
import dev.regula.core.train.Trainer;
import dev.regula.core.train.TrainingConfig;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SoftOutputBoundsTest {
    private static OutputRegularizer bounds(String spec) {
        return (OutputRegularizer) Regularizers.installed().parse(spec);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        OutputRegularizer r = bounds("soft-output-bounds(lambda=0.7, min=-0.5, max=0.5)");
        StepContext ctx = GradientCheck.train();
        Tensor y = GradientCheck.random(3, 1.5f, 5, 3);
        Tensor grad = Tensor.zeros(5, 3);
        r.apply(y, Tensor.zeros(5, 1), grad, ctx);
        float eps = 1e-3f;
        for (int i = 0; i < y.size(); i++) {
            float v = y.data()[i];
            y.data()[i] = v + eps;
            double up = r.apply(y, Tensor.zeros(5, 1), Tensor.zeros(5, 3), ctx);
            y.data()[i] = v - eps;
            double down = r.apply(y, Tensor.zeros(5, 1), Tensor.zeros(5, 3), ctx);
            y.data()[i] = v;
            assertEquals((up - down) / (2 * eps), grad.data()[i], 2e-3, "element " + i);
        }
    }

    @Test
    void zeroInsideTheBandAndHandComputedOutside() {
        OutputRegularizer r = bounds("soft-output-bounds(lambda=2, min=0, max=1)");
        Tensor y = Tensor.wrap(new float[] {0.5f, 1.5f, -1f, 1f}, 2, 2);
        Tensor g = Tensor.zeros(2, 2);
        double pen = r.apply(y, Tensor.zeros(2, 2), g, GradientCheck.train());
        // λ/2·(1/N)·(0.5² + 1²) = 1·0.5·1.25
        assertEquals(0.625, pen, 1e-9);
        assertArrayEquals(new float[] {0f, 0.5f, -1f, 0f}, g.data(), 1e-7f);
    }

    @Test
    void lambdaZeroTouchesNothing() {
        OutputRegularizer r = bounds("soft-output-bounds(lambda=0, min=0, max=0)");
        Tensor g = Tensor.wrap(new float[] {0.25f, -0.5f}, 2, 1);
        assertEquals(0, r.apply(Tensor.wrap(new float[] {3f, -3f}, 2, 1), Tensor.zeros(2, 1), g, GradientCheck.train()));
        assertArrayEquals(new float[] {0.25f, -0.5f}, g.data());
    }

    @Test
    void rejectsAnEmptyBand() {
        SpecException e = assertThrows(SpecException.class, () -> bounds("soft-output-bounds(lambda=1, min=2, max=1)"));
        assertTrue(e.getMessage().contains("min=2.0 must be <= max=1.0"), e.getMessage());
    }

    /** y = Σx/4 + 0.5 on inputs whose targets reach 1.5: the prior caps what the regression learns at about max. */
    @Test
    void aRegressionMlpTrainedWithThePriorKeepsItsOutputsInTheBand() {
        SplittableRandom rnd = new SplittableRandom(3);
        int n = 256;
        float[] x = new float[n * 4];
        float[] t = new float[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int d = 0; d < 4; d++) s += x[i * 4 + d] = (float) rnd.nextDouble(-1, 1);
            t[i] = (float) (s / 4 + 0.5);
        }
        Dataset data = new Dataset(Tensor.wrap(x, n, 4), Tensor.wrap(t, n, 1), 0);
        double freeMax = maxPrediction(data, null);
        double boundedMax = maxPrediction(data, "soft-output-bounds(lambda=20, min=0, max=0.8)");
        assertTrue(freeMax > 1.1, "without the prior the fit reaches the targets' top: " + freeMax);
        assertTrue(boundedMax < 0.9, "with the prior outputs stay near the band: " + boundedMax);
    }

    private static double maxPrediction(Dataset data, String prior) {
        TrainingConfig.Builder b = TrainingConfig.builder().optimizer("sgd(lr=0.05, momentum=0.9)").loss(new MeanSquaredError())
                .epochs(30).batchSize(32).seed(1).kernels(new ScalarKernels());
        if (prior != null) b.regularizer(prior);
        Trainer trainer = new Trainer(Models.installed().parse("mlp(hidden=16)").build(new int[] {4}, 1, 1), b.build());
        List<EpochMetrics> history = trainer.fit(data, null);
        if (prior != null) {
            assertTrue(history.getLast().penalties().keySet().stream().anyMatch(k -> k.startsWith("soft-output-bounds")),
                    "the epoch metrics report the output penalty: " + history.getLast().penalties());
        }
        float[] p = trainer.predict(data.features()).data();
        double max = Double.NEGATIVE_INFINITY;
        for (float v : p) max = Math.max(max, v);
        return max;
    }
}
