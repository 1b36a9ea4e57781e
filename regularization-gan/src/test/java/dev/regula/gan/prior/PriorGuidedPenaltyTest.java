package dev.regula.gan.prior;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.Mode;
import dev.regula.api.ShapeMismatchException;
import dev.regula.api.StepContext;
import dev.regula.api.schedule.Schedule;
import dev.regula.api.tensor.Tensor;
import dev.regula.gan.testing.TestKernels;
import dev.regula.gan.features.FaceFeatures;
import dev.regula.gan.testing.TestImages;
import org.junit.jupiter.api.Test;

class PriorGuidedPenaltyTest {
    private static StepContext at(long step) {
        return new StepContext(Mode.TRAIN, step, 0, 2e-4, 42, TestKernels.selected());
    }

    @Test
    void valueIsLambdaTimesBatchMeanOfSquaredFeatureDistance() {
        FaceFeatures phi = new FaceFeatures(16);
        PriorGuidedPenalty penalty = new PriorGuidedPenalty(Schedule.constant(0.7), phi);
        Tensor g = TestImages.random(1, 3, 16);
        Tensor c = phi.extract(TestImages.random(2, 3, 16));
        Tensor f = phi.extract(g);
        double expected = 0;
        for (int i = 0; i < f.size(); i++) expected += Math.pow(f.get(i) - c.get(i), 2);
        expected *= 0.7 / 3;
        double value = penalty.apply(g, c, Tensor.zeros(g.shape()), at(0));
        assertEquals(expected, value, 1e-6 * expected);
        assertTrue(value > 0.01, "different images must have a clearly positive penalty: " + value);
        assertEquals(0, penalty.apply(g, f, Tensor.zeros(g.shape()), at(0)), 1e-9, "phi(G) = c costs nothing");
    }

    @Test
    void givenPhiGivesTheSameValueAndGradientBitForBit() {
        FaceFeatures phi = new FaceFeatures(16);
        PriorGuidedPenalty penalty = new PriorGuidedPenalty(Schedule.constant(1.5), phi);
        Tensor g = TestImages.random(5, 3, 16);
        Tensor c = phi.extract(TestImages.random(6, 3, 16));
        Tensor grad = Tensor.zeros(g.shape());
        double value = penalty.apply(g, c, grad, at(0));
        Tensor givenGrad = Tensor.zeros(g.shape());
        double given = penalty.apply(g, phi.extract(g), c, givenGrad, at(0));
        assertEquals(value, given);
        assertArrayEquals(grad.data(), givenGrad.data());
        assertThrows(ShapeMismatchException.class,
                () -> penalty.apply(g, Tensor.zeros(3, phi.dimension() + 1), c, Tensor.zeros(g.shape()), at(0)));
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        FaceFeatures phi = new FaceFeatures(16);
        PriorGuidedPenalty penalty = new PriorGuidedPenalty(Schedule.constant(1.5), phi);
        Tensor g = TestImages.random(3, 2, 16);
        Tensor c = phi.extract(TestImages.random(4, 2, 16));
        Tensor grad = Tensor.zeros(g.shape());
        penalty.apply(g, c, grad, at(0));
        Tensor scratch = Tensor.zeros(g.shape());
        float[] x = g.data();
        for (int i = 0; i < x.length; i += 2) {
            float old = x[i];
            float hi = old + 2e-3f;
            float lo = old - 2e-3f;
            x[i] = hi;
            double plus = penalty.apply(g, c, scratch, at(0));
            x[i] = lo;
            double minus = penalty.apply(g, c, scratch, at(0));
            x[i] = old;
            double numeric = (plus - minus) / ((double) hi - lo);
            assertEquals(numeric, grad.get(i), 2e-4 + 1e-2 * Math.abs(numeric), "d/dgenerated[" + i + "]");
        }
    }

    @Test
    void gradientIsAddedNotOverwritten() {
        FaceFeatures phi = new FaceFeatures(16);
        PriorGuidedPenalty penalty = new PriorGuidedPenalty(Schedule.constant(1), phi);
        Tensor g = TestImages.random(5, 2, 16);
        Tensor c = phi.extract(TestImages.random(6, 2, 16));
        Tensor once = Tensor.zeros(g.shape());
        penalty.apply(g, c, once, at(0));
        Tensor twice = Tensor.zeros(g.shape());
        penalty.apply(g, c, twice, at(0));
        penalty.apply(g, c, twice, at(0));
        for (int i = 0; i < once.size(); i++) assertEquals(2 * once.get(i), twice.get(i), 1e-6f);
    }

    @Test
    void lambdaZeroLeavesTheGradientBitForBitUntouched() {
        FaceFeatures phi = new FaceFeatures(16);
        // 0 at step 0, then ramping up: the same penalty is a no-op at step 0 and active at step 5.
        PriorGuidedPenalty penalty = new PriorGuidedPenalty(Schedule.linear(0, 1, 10), phi);
        Tensor g = TestImages.random(7, 2, 16);
        Tensor c = phi.extract(TestImages.random(8, 2, 16));
        Tensor grad = TestImages.uniform(9, 1f, 2, 3, 16, 16);
        grad.set(0, -0.0f);
        grad.set(1, Float.NaN);
        float[] before = grad.data().clone();
        assertEquals(0.0, penalty.lambda(at(0)));
        assertEquals(0.0, penalty.apply(g, c, grad, at(0)));
        for (int i = 0; i < before.length; i++) {
            assertEquals(Float.floatToRawIntBits(before[i]), Float.floatToRawIntBits(grad.get(i)), "index " + i);
        }
        assertEquals(0.5, penalty.lambda(at(5)), 1e-12);
        assertTrue(penalty.apply(g, c, grad, at(5)) > 0);
        boolean changed = false;
        for (int i = 2; i < before.length; i++) changed |= before[i] != grad.get(i);
        assertTrue(changed, "a positive lambda must change the gradient");
    }

    @Test
    void shapesAreCheckedEvenWhenLambdaIsZero() {
        FaceFeatures phi = new FaceFeatures(16);
        PriorGuidedPenalty penalty = new PriorGuidedPenalty(Schedule.constant(0), phi);
        Tensor g = Tensor.zeros(2, 3, 16, 16);
        ShapeMismatchException wide = assertThrows(ShapeMismatchException.class,
                () -> penalty.apply(g, Tensor.zeros(2, phi.dimension() + 1), Tensor.zeros(g.shape()), at(0)));
        assertTrue(wide.getMessage().contains("condition"), wide.getMessage());
        ShapeMismatchException size = assertThrows(ShapeMismatchException.class,
                () -> penalty.apply(Tensor.zeros(2, 3, 32, 32), Tensor.zeros(2, phi.dimension()), Tensor.zeros(2, 3, 32, 32), at(0)));
        assertTrue(size.getMessage().contains("size="), size.getMessage());
        assertThrows(ShapeMismatchException.class,
                () -> penalty.apply(g, Tensor.zeros(2, phi.dimension()), Tensor.zeros(1, 3, 16, 16), at(0)));
    }

    @Test
    void describesItself() {
        PriorGuidedPenalty penalty = new PriorGuidedPenalty(Schedule.constant(0.5), new FaceFeatures(32));
        assertEquals("prior-guided", penalty.name());
        assertTrue(penalty.spec().startsWith("prior-guided(lambda=0.5"), penalty.spec());
        assertTrue(penalty.spec().contains("size=32"), penalty.spec());
        assertArrayEquals(new int[] {32}, new int[] {penalty.features().imageSize()});
        assertThrows(IllegalArgumentException.class, () -> new PriorGuidedPenalty(Schedule.constant(-1), new FaceFeatures(16)));
    }
}
