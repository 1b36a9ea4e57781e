package dev.regula.core.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.Mode;
import dev.regula.api.ShapeMismatchException;
import dev.regula.api.StepContext;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.testing.GradientCheck;
import org.junit.jupiter.api.Test;

/** BatchNorm's statistics: normalisation in TRAIN, running averages, EVAL behaviour. */
class BatchNormTest {
    private static final StepContext TRAIN = GradientCheck.train();
    private static final StepContext EVAL = TRAIN.withMode(Mode.EVAL);

    @Test
    void trainNormalisesEachChannelToMeanZeroAndVarianceOne() {
        BatchNorm bn = new BatchNorm("bn", 3);
        Tensor x = GradientCheck.random(1, 2f, 4, 3, 5, 3);
        float[] xd = x.data();
        for (int i = 0; i < xd.length; i++) xd[i] += 3f * ((i / 15) % 3); // a different offset per channel
        float[] y = bn.forward(x, TRAIN).data();
        for (int c = 0; c < 3; c++) {
            double sum = 0;
            double sq = 0;
            for (int n = 0; n < 4; n++) {
                for (int i = 0; i < 15; i++) {
                    double v = y[(n * 3 + c) * 15 + i];
                    sum += v;
                    sq += v * v;
                }
            }
            assertEquals(0, sum / 60, 1e-5, "mean of channel " + c);
            assertEquals(1, sq / 60, 1e-3, "variance of channel " + c);
        }
    }

    @Test
    void runningStatisticsMatchAHandComputationAfterTwoSteps() {
        BatchNorm bn = new BatchNorm("bn", 2, 0.25, 1e-5);
        // [batch 2, C 2, 1, 2]: channel 0 gets {1, 3, 5, 7}, channel 1 gets {2, 2, 4, 8}
        Tensor a = Tensor.of(new float[] {1, 3, 2, 2, 5, 7, 4, 8}, 2, 2, 1, 2);
        // [batch 3, C 2]: channel 0 gets {0, 1, 2}, channel 1 gets {10, 10, 13}
        Tensor b = Tensor.of(new float[] {0, 10, 1, 10, 2, 13}, 3, 2);
        bn.forward(a, TRAIN);
        bn.forward(b, TRAIN);
        // channel 0: step 1 mean 4, unbiased var 20/3; step 2 mean 1, unbiased var 1
        double m0 = 0.75 * (0.75 * 0 + 0.25 * 4) + 0.25 * 1;
        double v0 = 0.75 * (0.75 * 1 + 0.25 * 20.0 / 3) + 0.25 * 1;
        // channel 1: step 1 mean 4, unbiased var (4+4+0+16)/3 = 8; step 2 mean 11, unbiased var (1+1+4)/2 = 3
        double m1 = 0.75 * (0.75 * 0 + 0.25 * 4) + 0.25 * 11;
        double v1 = 0.75 * (0.75 * 1 + 0.25 * 8) + 0.25 * 3;
        assertArrayEquals(new float[] {(float) m0, (float) m1}, bn.runningMean().data(), 1e-6f);
        assertArrayEquals(new float[] {(float) v0, (float) v1}, bn.runningVar().data(), 1e-5f);
    }

    @Test
    void evalUsesRunningStatisticsAndDoesNotMutateThem() {
        BatchNorm bn = new BatchNorm("bn", 2);
        bn.forward(GradientCheck.random(3, 1f, 5, 2, 2, 2), TRAIN);
        bn.runningMean().data()[0] = 0.5f;
        bn.runningMean().data()[1] = -1f;
        bn.runningVar().data()[0] = 4f;
        bn.runningVar().data()[1] = 0.25f;
        bn.weight().value().data()[1] = 2f;
        bn.bias().value().data()[0] = 0.3f;
        float[] meanBefore = bn.runningMean().data().clone();
        float[] varBefore = bn.runningVar().data().clone();
        Tensor x = GradientCheck.random(4, 1f, 3, 2, 2, 2);
        float[] y = bn.forward(x, EVAL).data();
        for (int i = 0; i < y.length; i++) {
            int c = (i / 4) % 2;
            double expected = c == 0
                    ? (x.get(i) - 0.5) / Math.sqrt(4 + 1e-5) + 0.3
                    : 2 * (x.get(i) + 1) / Math.sqrt(0.25 + 1e-5);
            assertEquals(expected, y[i], 1e-5, "element " + i);
        }
        assertArrayEquals(meanBefore, bn.runningMean().data());
        assertArrayEquals(varBefore, bn.runningVar().data());
        // EVAL of a single example is fine; TRAIN of a single value per channel is not
        assertEquals(2, bn.forward(Tensor.zeros(1, 2), EVAL).size());
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> bn.forward(Tensor.zeros(1, 2), TRAIN));
        assertTrue(e.getMessage().contains("bn"), e.getMessage());
    }

    @Test
    void parametersAndShapes() {
        BatchNorm bn = new BatchNorm("norm1", 3);
        assertEquals("norm1.weight", bn.weight().name());
        assertEquals(ParameterRole.NORM_SCALE, bn.weight().role());
        assertEquals("norm1.bias", bn.bias().name());
        assertEquals(ParameterRole.BIAS, bn.bias().role());
        assertArrayEquals(new float[] {1, 1, 1}, bn.weight().value().data());
        assertArrayEquals(new float[] {0, 0, 0}, bn.bias().value().data());
        assertArrayEquals(new float[] {0, 0, 0}, bn.runningMean().data());
        assertArrayEquals(new float[] {1, 1, 1}, bn.runningVar().data());
        assertArrayEquals(new int[] {3, 4, 4}, bn.outputShape(new int[] {3, 4, 4}));
        assertArrayEquals(new int[] {3}, bn.outputShape(new int[] {3}));
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> bn.forward(Tensor.zeros(2, 4, 2, 2), TRAIN));
        assertTrue(e.getMessage().contains("norm1") && e.getMessage().contains("[4, 2, 2]"), e.getMessage());
        assertThrows(ShapeMismatchException.class, () -> bn.outputShape(new int[] {3, 4}));
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm("b", 2, 1.5, 1e-5));
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm("b", 2, 0.1, 0));
    }
}
