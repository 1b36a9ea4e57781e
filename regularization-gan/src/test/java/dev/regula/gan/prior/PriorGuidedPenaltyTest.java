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
import dev.regula.gan.faces.FaceAttributes;
import dev.regula.gan.faces.SyntheticFaces;
import dev.regula.gan.features.AttributeProbe;
import dev.regula.gan.testing.TestImages;
import dev.regula.gan.testing.TestKernels;
import org.junit.jupiter.api.Test;

class PriorGuidedPenaltyTest {
    private static final AttributeProbe PROBE = FacePrior.probe(SyntheticFaces.generate(512, 16, 5), FaceAttributes.BINARY_NAMES);

    private static StepContext at(long step) {
        return new StepContext(Mode.TRAIN, step, 0, 2e-4, 42, TestKernels.selected());
    }

    private static Tensor conditions(long seed, int n) {
        return TestImages.uniform(seed, 1f, n, PROBE.dimension());
    }

    @Test
    void valueIsLambdaTimesTheSumOverAttributesOfTheBatchMeanSquaredError() {
        PriorGuidedPenalty penalty = new PriorGuidedPenalty(Schedule.constant(0.7), PROBE);
        Tensor g = TestImages.random(1, 3, 16);
        Tensor c = conditions(2, 3);
        Tensor f = PROBE.extract(g);
        double expected = 0;
        for (int i = 0; i < f.size(); i++) expected += Math.pow(f.get(i) - c.get(i), 2);
        expected *= 0.7 / 3;
        double value = penalty.apply(g, c, Tensor.zeros(g.shape()), at(0));
        assertEquals(expected, value, 1e-5 * expected);
        assertEquals(0, penalty.apply(g, f, Tensor.zeros(g.shape()), at(0)), 1e-9, "phi(G) = c costs nothing");
    }

    @Test
    void gradientMatchesFiniteDifferencesForBothForms() {
        for (boolean learnable : new boolean[] {false, true}) {
            PriorGuidedPenalty penalty = new PriorGuidedPenalty(Schedule.constant(1.5), PROBE, learnable, 0.1, new double[PROBE.dimension()]);
            if (learnable) penalty.ownParameters().getFirst().value().data()[1] = 0.8f; // unequal weights
            Tensor g = TestImages.random(3, 2, 16);
            Tensor c = conditions(4, 2);
            Tensor grad = Tensor.zeros(g.shape());
            penalty.apply(g, c, grad, at(0));
            float[] x = g.data();
            for (int i = 0; i < x.length; i += 5) {
                float old = x[i];
                x[i] = old + 0.25f;
                double plus = penalty.apply(g, c, Tensor.zeros(g.shape()), at(0));
                x[i] = old - 0.25f;
                double minus = penalty.apply(g, c, Tensor.zeros(g.shape()), at(0));
                x[i] = old;
                double numeric = (plus - minus) / 0.5;
                assertEquals(numeric, grad.get(i), 1e-4 + 1e-3 * Math.abs(numeric), "learnable=" + learnable + ", d/dx[" + i + "]");
            }
        }
    }

    @Test
    void learnableLogPrecisionGradientMatchesFiniteDifferencesAndItsStepsMoveTowardTheOptimum() {
        PriorGuidedPenalty penalty = new PriorGuidedPenalty(Schedule.constant(2), PROBE, true, 0.05, new double[PROBE.dimension()]);
        Tensor g = TestImages.random(5, 4, 16);
        Tensor c = conditions(6, 4);
        var s = penalty.ownParameters().getFirst();
        penalty.apply(g, c, Tensor.zeros(g.shape()), at(0));
        float[] analytic = s.grad().data().clone();
        for (int k = 0; k < analytic.length; k++) {
            float old = s.value().data()[k];
            s.value().data()[k] = old + 1e-3f;
            double up = penalty.apply(g, c, Tensor.zeros(g.shape()), at(0));
            s.value().data()[k] = old - 1e-3f;
            double down = penalty.apply(g, c, Tensor.zeros(g.shape()), at(0));
            s.value().data()[k] = old;
            assertEquals((up - down) / 2e-3, analytic[k], 2e-3 + 1e-3 * Math.abs(analytic[k]), "d/ds[" + k + "]");
        }
        // With Σ s_k = 0 the optimum is s_k = mean_j log MSE_j − log MSE_k (clamped to [−2, 2]):
        // more weight on the attributes met more closely. Adam steps must approach it.
        Tensor phi = PROBE.extract(g);
        for (int step = 0; step < 600; step++) {
            penalty.apply(g, c, Tensor.zeros(g.shape()), at(step));
            penalty.updateOwnParameters(at(step));
        }
        int k = PROBE.dimension();
        double[] logMse = new double[k];
        double meanLog = 0;
        for (int j = 0; j < k; j++) {
            double mse = 0;
            for (int i = 0; i < 4; i++) mse += Math.pow(phi.get(i * k + j) - c.get(i * k + j), 2) / 4;
            logMse[j] = Math.log(mse);
            meanLog += logMse[j] / k;
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
            double optimum = Math.max(PriorGuidedPenalty.MIN_LOG_PRECISION, Math.min(PriorGuidedPenalty.MAX_LOG_PRECISION, meanLog - logMse[j]));
            assertEquals(optimum, s.value().get(j), 0.15, "log-precision " + j);
            sum += s.value().get(j);
        }
        assertEquals(0, sum, 0.3, "the weights' geometric mean stays about 1");
    }

    @Test
    void lambdaZeroLeavesTheGradientAndThePrecisionsBitForBitUntouched() {
        PriorGuidedPenalty penalty = new PriorGuidedPenalty(Schedule.linear(0, 1, 10), PROBE, true, 0.1);
        Tensor g = TestImages.random(7, 2, 16);
        Tensor c = conditions(8, 2);
        Tensor grad = TestImages.uniform(9, 1f, 2, 3, 16, 16);
        grad.set(0, -0.0f);
        grad.set(1, Float.NaN);
        float[] before = grad.data().clone();
        assertEquals(0.0, penalty.apply(g, c, grad, at(0)));
        penalty.updateOwnParameters(at(0));
        for (int i = 0; i < before.length; i++) {
            assertEquals(Float.floatToRawIntBits(before[i]), Float.floatToRawIntBits(grad.get(i)), "index " + i);
        }
        assertArrayEquals(new double[] {1, 1, 1, 1}, penalty.weights());
        assertTrue(penalty.apply(g, c, grad, at(5)) != 0);
        boolean changed = false;
        for (int i = 2; i < before.length; i++) changed |= before[i] != grad.get(i);
        assertTrue(changed, "a positive lambda must change the gradient");
    }

    @Test
    void shapesAreCheckedEvenWhenLambdaIsZero() {
        PriorGuidedPenalty penalty = new PriorGuidedPenalty(Schedule.constant(0), PROBE);
        Tensor g = Tensor.zeros(2, 3, 16, 16);
        ShapeMismatchException wide = assertThrows(ShapeMismatchException.class,
                () -> penalty.apply(g, Tensor.zeros(2, PROBE.dimension() + 1), Tensor.zeros(g.shape()), at(0)));
        assertTrue(wide.getMessage().contains("condition"), wide.getMessage());
        ShapeMismatchException size = assertThrows(ShapeMismatchException.class,
                () -> penalty.apply(Tensor.zeros(2, 10), Tensor.zeros(2, PROBE.dimension()), Tensor.zeros(2, 10), at(0)));
        assertTrue(size.getMessage().contains("image generators"), size.getMessage());
    }

    @Test
    void describesItselfAndChecksItsArguments() {
        PriorGuidedPenalty penalty = new PriorGuidedPenalty(Schedule.constant(0.5), PROBE, true, 0.01);
        assertEquals("prior-guided", penalty.name());
        assertTrue(penalty.spec().startsWith("prior-guided(lambda=0.5, learnable=true"), penalty.spec());
        assertTrue(penalty.spec().contains("attributes=smiling+glasses+dark_hair+pale_skin"), penalty.spec());
        assertEquals(1, penalty.ownParameters().size());
        assertEquals(0, new PriorGuidedPenalty(Schedule.constant(0.5), PROBE).ownParameters().size());
        assertThrows(IllegalArgumentException.class, () -> new PriorGuidedPenalty(Schedule.constant(-1), PROBE));
        assertThrows(IllegalArgumentException.class, () -> new PriorGuidedPenalty(Schedule.constant(1), PROBE, true, 0));
    }

    @Test
    void theToleranceBandCostsNothingInsideAndTheExcessBeyond() {
        double[] tau = {0.3, 0.3, 0.3, 0.3};
        PriorGuidedPenalty banded = new PriorGuidedPenalty(Schedule.constant(1), PROBE, false, 0.01, tau);
        Tensor g = TestImages.random(11, 2, 16);
        Tensor phi = PROBE.extract(g);
        Tensor c = phi.copy();
        for (int i = 0; i < c.size(); i++) c.set(i, c.get(i) + (i % 2 == 0 ? 0.2f : -0.5f)); // inside, 0.2 beyond
        Tensor grad = Tensor.zeros(g.shape());
        double r = banded.apply(g, c, grad, at(0));
        assertEquals(2 * 2 * 0.2 * 0.2 / 2, r, 1e-4, "two entries per image 0.2 beyond the band, mean over 2 images");
        Tensor inside = phi.copy();
        for (int i = 0; i < inside.size(); i++) inside.set(i, inside.get(i) + 0.25f);
        Tensor untouched = Tensor.zeros(g.shape());
        assertEquals(0, banded.apply(g, inside, untouched, at(0)), 1e-12);
        for (int i = 0; i < untouched.size(); i++) assertEquals(0f, untouched.get(i));
        float[] x = g.data();
        for (int i = 0; i < x.length; i += 11) {
            float old = x[i];
            x[i] = old + 0.05f;
            double up = banded.apply(g, c, Tensor.zeros(g.shape()), at(0));
            x[i] = old - 0.05f;
            double down = banded.apply(g, c, Tensor.zeros(g.shape()), at(0));
            x[i] = old;
            assertEquals((up - down) / 0.1, grad.get(i), 1e-4 + 1e-2 * Math.abs(grad.get(i)), "d/dx[" + i + "]");
        }
        assertArrayEquals(PROBE.residualRms(), new PriorGuidedPenalty(Schedule.constant(1), PROBE, false, 0.01).tolerance());
        assertThrows(IllegalArgumentException.class, () -> new PriorGuidedPenalty(Schedule.constant(1), PROBE, false, 0.01, new double[] {1}));
        assertThrows(dev.regula.api.spec.SpecException.class, () -> FacePrior.tolerance("wide", PROBE));
        assertArrayEquals(new double[] {0.5, 0.5, 0.5, 0.5}, FacePrior.tolerance("0.5", PROBE));
        // one per attribute, as spec() writes it, so that the spec parses back to the same penalty
        assertArrayEquals(new double[] {0.5, 0.25, 0, 1000}, FacePrior.tolerance("0.5+0.25+0+1e3", PROBE));
        assertArrayEquals(new double[] {1000, 1000, 1000, 1000}, FacePrior.tolerance("1e+3", PROBE));
        assertThrows(dev.regula.api.spec.SpecException.class, () -> FacePrior.tolerance("0.5+0.25", PROBE));
        assertThrows(dev.regula.api.spec.SpecException.class, () -> FacePrior.tolerance("0.5+-1+0+0", PROBE));
    }
}
