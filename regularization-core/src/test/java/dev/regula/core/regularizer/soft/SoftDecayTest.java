package dev.regula.core.regularizer.soft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.Mode;
import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.regularizer.Stage;
import dev.regula.api.spec.SpecException;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.kernels.ScalarKernels;
import org.junit.jupiter.api.Test;

class SoftDecayTest {
    private static StepContext at(long step, double lr) {
        return new StepContext(Mode.TRAIN, step, 0, lr, 1L, new ScalarKernels());
    }

    private static Parameter weight(float... values) {
        return new Parameter("dense1", "weight", ParameterRole.WEIGHT, Tensor.of(values, values.length));
    }

    private static SoftDecay create(String spec) {
        return (SoftDecay) Regularizers.installed().parse(spec);
    }

    @Test
    void shrinkFollowsTheLearningRateRelativeToTheFirstRateSeen() {
        SoftDecay r = create("soft-decay(lambda=0.01)");
        assertSame(Stage.DECOUPLED, r.stage());
        Parameter p = weight(2f, -4f);
        r.apply(p, at(0, 0.1)); // η_0 = 0.1: factor 0.01
        assertEquals(0.1, r.referenceRate());
        assertEquals(2f * 0.99f, p.value().get(0), 1e-6f);
        r.apply(p, at(1, 0.05)); // half the rate: factor 0.005
        assertEquals(2f * 0.99f * 0.995f, p.value().get(0), 1e-6f);
        assertEquals(-4f * 0.99f * 0.995f, p.value().get(1), 1e-6f);
        r.apply(p, at(2, 0.0)); // annealed to zero: no decay
        assertEquals(2f * 0.99f * 0.995f, p.value().get(0), 1e-6f);
        assertEquals(0.0, r.penalty(p, at(2, 0.0)));
    }

    @Test
    void differsFromCoupledLearningRateScalingOfWeightDecay() {
        // weight-decay removes η·λ per step; soft-decay removes λ at the reference rate whatever η_0 is.
        for (double lr : new double[] {1.0, 1e-3}) {
            SoftDecay r = create("soft-decay(lambda=0.1)");
            Parameter p = weight(1f);
            r.apply(p, at(0, lr));
            assertEquals(0.9f, p.value().get(0), 1e-6f, "lr=" + lr);
        }
    }

    @Test
    void explicitReferenceRateAndScheduledLambda() {
        SoftDecay r = create("soft-decay(lambda=linear(from=0, to=0.2, steps=10), lr0=0.2)");
        Parameter p = weight(1f);
        r.apply(p, at(0, 0.1)); // λ = 0
        assertEquals(1f, p.value().get(0));
        r.apply(p, at(5, 0.1)); // λ = 0.1, η/η_0 = 0.5
        assertEquals(0.95f, p.value().get(0), 1e-6f);
    }

    @Test
    void factorAboveOneIsAnErrorNotASignFlip() {
        SoftDecay r = create("soft-decay(lambda=0.5)");
        Parameter p = weight(1f);
        r.apply(p, at(0, 0.001)); // warm-up start becomes η_0
        dev.regula.api.spec.SpecException e = assertThrows(dev.regula.api.spec.SpecException.class, () -> r.apply(p, at(1, 0.1)));
        assertTrue(e.getMessage().contains("lr0"), e.getMessage());
    }

    @Test
    void defaultsToWeightsOnlyAndRejectsLambdaAboveOne() {
        SoftDecay r = create("soft-decay(lambda=1e-3)");
        assertTrue(r.selector().test(weight(1f)));
        assertFalse(r.selector().test(new Parameter("dense1", "bias", ParameterRole.BIAS, Tensor.zeros(1))));
        SpecException e = assertThrows(SpecException.class, () -> create("soft-decay(lambda=2)"));
        assertTrue(e.getMessage().contains("[0, 1]"), e.getMessage());
        SpecException missing = assertThrows(SpecException.class, () -> create("soft-decay"));
        assertTrue(missing.getMessage().contains("lambda"), missing.getMessage());
    }
}
