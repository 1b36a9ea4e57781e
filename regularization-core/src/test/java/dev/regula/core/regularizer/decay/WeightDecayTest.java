package dev.regula.core.regularizer.decay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.Mode;
import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.regularizer.Stage;
import dev.regula.api.spec.SpecException;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.kernels.ScalarKernels;
import dev.regula.core.testing.GradientCheck;
import org.junit.jupiter.api.Test;

class WeightDecayTest {
    private static ParameterRegularizer create(String spec) {
        return (ParameterRegularizer) Regularizers.installed().parse(spec);
    }

    private static StepContext ctx(long step, double lr) {
        return new StepContext(Mode.TRAIN, step, 0, lr, 42L, new ScalarKernels());
    }

    private static Parameter weight() {
        return new Parameter("dense", "weight", ParameterRole.WEIGHT, GradientCheck.random(1, 2f, 4, 3));
    }

    private static void assertShrunk(float[] before, float[] after, double shrink) {
        for (int i = 0; i < before.length; i++) {
            double expected = before[i] - shrink * before[i];
            assertEquals(expected, after[i], 1e-6 * Math.abs(before[i]) + 1e-12, "entry " + i);
        }
    }

    @Test
    void lrCoupledShrinksByLearningRateTimesLambda() {
        ParameterRegularizer r = create("weight-decay(lambda=0.5)");
        assertEquals(Stage.DECOUPLED, r.stage());
        Parameter p = weight();
        float[] before = p.value().data().clone();
        r.apply(p, ctx(3, 0.1));
        assertShrunk(before, p.value().data(), 0.1 * 0.5);
    }

    @Test
    void uncoupledShrinksByLambdaAlone() {
        ParameterRegularizer r = create("weight-decay(lambda=0.2, lr_coupled=false)");
        Parameter p = weight();
        float[] before = p.value().data().clone();
        r.apply(p, ctx(3, 0.1));
        assertShrunk(before, p.value().data(), 0.2);
    }

    @Test
    void penaltyIsZeroAndGradientIsUntouched() {
        ParameterRegularizer r = create("weight-decay(lambda=0.5)");
        Parameter p = weight();
        assertEquals(0, r.penalty(p, ctx(0, 0.1)));
        r.apply(p, ctx(0, 0.1));
        assertArrayEquals(new float[p.size()], p.grad().data());
    }

    @Test
    void coupledDecayFollowsTheLearningRateAndLambdaSchedules() {
        Parameter p = weight();
        float[] before = p.value().data().clone();
        create("weight-decay(lambda=0.5)").apply(p, ctx(3, 0));
        assertArrayEquals(before, p.value().data(), "lr = 0 must not decay");

        ParameterRegularizer ramp = create("weight-decay(lambda=linear(from=0, to=0.4, steps=1000), lr_coupled=false)");
        ramp.apply(p, ctx(0, 0.1));
        assertArrayEquals(before, p.value().data(), "lambda(0) = 0 must not decay");
        ramp.apply(p, ctx(1000, 0.1));
        assertShrunk(before, p.value().data(), 0.4);
    }

    @Test
    void shrinkFactorOutsideUnitIntervalIsRefused() {
        SpecException e = assertThrows(SpecException.class,
                () -> create("weight-decay(lambda=2, lr_coupled=false)"));
        assertTrue(e.getMessage().contains("weight-decay") && e.getMessage().contains("[0, 1]"), e.getMessage());
        ParameterRegularizer r = create("weight-decay(lambda=20)");
        SpecException ise = assertThrows(SpecException.class, () -> r.apply(weight(), ctx(7, 0.1)));
        assertTrue(ise.getMessage().contains("step 7"), ise.getMessage());
    }
}
