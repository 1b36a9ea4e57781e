package dev.regula.core.regularizer.output;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.regula.api.UnsupportedShapeException;
import dev.regula.api.StepContext;
import dev.regula.api.regularizer.OutputRegularizer;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.testing.GradientCheck;
import org.junit.jupiter.api.Test;

class ConfidencePenaltyTest {
    private static final StepContext TRAIN = GradientCheck.train();

    private static OutputRegularizer create(String spec) {
        return (OutputRegularizer) Regularizers.installed().parse(spec);
    }

    private static void checkGradient(OutputRegularizer r, Tensor z) {
        Tensor g = Tensor.zeros(z.shape());
        r.apply(z, null, g, TRAIN);
        float[] v = z.data();
        float eps = GradientCheck.EPS;
        for (int i = 0; i < v.length; i++) {
            float old = v[i];
            v[i] = old + eps;
            double plus = r.apply(z, null, Tensor.zeros(z.shape()), TRAIN);
            v[i] = old - eps;
            double minus = r.apply(z, null, Tensor.zeros(z.shape()), TRAIN);
            v[i] = old;
            double numeric = (plus - minus) / (2 * eps);
            assertEquals(numeric, g.get(i), GradientCheck.ATOL + GradientCheck.RTOL * Math.abs(numeric), "d/dz[" + i + "]");
        }
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        checkGradient(create("confidence-penalty(beta=0.7)"), GradientCheck.random(3, 2f, 5, 4));
    }

    @Test
    void hingeGradientMatchesFiniteDifferencesWhereActive() {
        // confident rows (entropy far below 1.2 nats), so the hinge is active and smooth there
        Tensor z = Tensor.of(new float[] {4, 0, -1, 0.5f, 3, -2, 0, 0, 5}, 3, 3);
        checkGradient(create("confidence-penalty(beta=0.5, threshold=1.2)"), z);
    }

    @Test
    void equalsMinusBetaTimesTheEntropyOnHandComputedRows() {
        // row 1 uniform over 4 classes: H = log 4, gradient 0. Row 2: logits (log 3, 0, 0, 0) give
        // p = (1/2, 1/6, 1/6, 1/6), H = ½·log 2 + ½·log 6.
        double h1 = Math.log(4);
        double h2 = 0.5 * Math.log(2) + 0.5 * Math.log(6);
        Tensor z = Tensor.of(new float[] {0, 0, 0, 0, (float) Math.log(3), 0, 0, 0}, 2, 4);
        Tensor g = Tensor.zeros(2, 4);
        double r = create("confidence-penalty(beta=0.2)").apply(z, null, g, TRAIN);
        assertEquals(-0.2 * (h1 + h2) / 2, r, 1e-6);
        assertArrayEquals(new float[] {0, 0, 0, 0}, java.util.Arrays.copyOfRange(g.data(), 0, 4), 1e-7f);
        // ∂R/∂z_j = β·p_j·(log p_j + H)/B for row 2
        double[] p = {0.5, 1 / 6.0, 1 / 6.0, 1 / 6.0};
        for (int j = 0; j < 4; j++) assertEquals(0.2 * p[j] * (Math.log(p[j]) + h2) / 2, g.get(4 + j), 1e-6);
    }

    @Test
    void addsToTheGradientAlreadyThereAndHingeIsZeroAboveTheThreshold() {
        Tensor z = Tensor.of(new float[] {0.1f, 0, -0.1f}, 1, 3); // entropy close to log 3 ≈ 1.0986
        Tensor g = Tensor.of(new float[] {1, 2, 3}, 1, 3);
        assertEquals(0, create("confidence-penalty(beta=1, threshold=0.5)").apply(z, null, g, TRAIN));
        assertArrayEquals(new float[] {1, 2, 3}, g.data());
        assertEquals(0, create("confidence-penalty(beta=0)").apply(z, null, g, TRAIN));
        assertArrayEquals(new float[] {1, 2, 3}, g.data());
    }

    @Test
    void refusesOutputsThatAreNotLogitRows() {
        assertThrows(UnsupportedShapeException.class,
                () -> create("confidence-penalty()").apply(Tensor.zeros(4), null, Tensor.zeros(4), TRAIN));
    }
}
