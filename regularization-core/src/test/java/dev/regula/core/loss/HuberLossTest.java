package dev.regula.core.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.tensor.Tensor;
import dev.regula.core.kernels.ScalarKernels;
import dev.regula.core.testing.GradientCheck;
import dev.regula.core.train.RegressionMetrics;
import org.junit.jupiter.api.Test;

class HuberLossTest {
    @Test
    void gradientMatchesFiniteDifferencesInBothRegimes() {
        // outputs in [-2, 2] around targets in [-2, 2] with delta 0.7: some inside, some outside the band
        GradientCheck.checkLoss(new HuberLoss(0.7), GradientCheck.random(6, 2f, 3, 4), GradientCheck.random(7, 2f, 3, 4));
    }

    /** PyTorch: HuberLoss(delta=1)(tensor([0.5, 3.0, -2.0]), zeros(3)) = (0.125 + 2.5 + 1.5)/3. */
    @Test
    void valuesAsPyTorch() {
        Tensor g = Tensor.zeros(3);
        double l = new HuberLoss(1).compute(Tensor.of(new float[] {0.5f, 3f, -2f}, 3), Tensor.zeros(3), g, new ScalarKernels());
        assertEquals((0.125 + 2.5 + 1.5) / 3, l, 1e-12);
        assertArrayEquals(new float[] {0.5f / 3, 1f / 3, -1f / 3}, g.data(), 1e-7f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new HuberLoss(0));
        assertTrue(e.getMessage().contains("delta"), e.getMessage());
    }

    /** sklearn: mean_squared_error, mean_absolute_error, r2_score of [2.5, 0, 2, 8] vs [3, -0.5, 2, 7]. */
    @Test
    void regressionMetricsAsScikitLearn() {
        RegressionMetrics m = RegressionMetrics.of(Tensor.of(new float[] {2.5f, 0f, 2f, 8f}, 4, 1),
                Tensor.of(new float[] {3f, -0.5f, 2f, 7f}, 4, 1), 1);
        assertEquals(Math.sqrt(0.375), m.rmse(), 1e-9);
        assertEquals(0.5, m.mae(), 1e-9);
        assertEquals(0.9486081370449679, m.r2(), 1e-7);
        RegressionMetrics scaled = RegressionMetrics.of(Tensor.of(new float[] {2.5f, 0f, 2f, 8f}, 4, 1),
                Tensor.of(new float[] {3f, -0.5f, 2f, 7f}, 4, 1), 10);
        assertEquals(10 * m.rmse(), scaled.rmse(), 1e-9);
        assertEquals(m.r2(), scaled.r2(), 0);
    }
}
