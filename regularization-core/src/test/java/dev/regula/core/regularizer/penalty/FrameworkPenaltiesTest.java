package dev.regula.core.regularizer.penalty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.regularizer.Stage;
import dev.regula.api.spec.SpecException;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.testing.GradientCheck;
import org.junit.jupiter.api.Test;

/** {@code keras-l1-l2} and {@code norm-penalty}: gradients, hand computations, the factors against Regula's specs. */
class FrameworkPenaltiesTest {
    private static final float[] W = {0.5f, -1.25f, 2f, -0.75f, 0.3f, 1.1f};

    private static ParameterRegularizer create(String spec) {
        return (ParameterRegularizer) Regularizers.installed().parse(spec);
    }

    private static Parameter weight(String layer, float... values) {
        return new Parameter(layer, "weight", ParameterRole.WEIGHT, Tensor.of(values.clone(), values.length));
    }

    private static float[] gradient(ParameterRegularizer r, Parameter p) {
        p.zeroGrad();
        r.apply(p, GradientCheck.train());
        float[] g = p.grad().data().clone();
        p.zeroGrad();
        return g;
    }

    @Test
    void kerasL1L2GradientMatchesFiniteDifferences() {
        ParameterRegularizer r = create("keras-l1-l2(l1=0.2, l2=0.3)");
        assertEquals(Stage.GRADIENT, r.stage());
        GradientCheck.checkPenalty(r, weight("d", W), GradientCheck.train());
    }

    /** Keras: l1*reduce_sum(abs(x)) + l2*reduce_sum(square(x)), computed by hand. */
    @Test
    void kerasL1L2IsKerasFormulaAndElasticNetWithTwiceTheL2() {
        double l1 = 0.01, l2 = 0.01;
        ParameterRegularizer keras = create("keras-l1-l2");
        assertEquals("keras-l1-l2(l1=0.01, l2=0.01, on=weights)", keras.spec());
        double sumAbs = 0, sumSq = 0;
        for (float w : W) {
            sumAbs += Math.abs(w);
            sumSq += (double) w * w;
        }
        Parameter p = weight("d", W);
        assertEquals(l1 * sumAbs + l2 * sumSq, keras.penalty(p, GradientCheck.train()), 1e-7);
        ParameterRegularizer elastic = create("elastic-net(l1=0.01, l2=0.02)");
        assertEquals(elastic.penalty(p, GradientCheck.train()), keras.penalty(p, GradientCheck.train()), 1e-7);
        assertArrayEquals(gradient(elastic, p), gradient(keras, p), 1e-7f);
        // Keras l2(0.01) alone = Regula l2(lambda=0.02)
        ParameterRegularizer kerasL2 = create("keras-l1-l2(l1=0, l2=0.01)");
        ParameterRegularizer regulaL2 = create("l2(lambda=0.02)");
        assertEquals(l2 * sumSq, kerasL2.penalty(p, GradientCheck.train()), 1e-7);
        assertEquals(regulaL2.penalty(p, GradientCheck.train()), kerasL2.penalty(p, GradientCheck.train()), 1e-7);
        assertArrayEquals(gradient(regulaL2, p), gradient(kerasL2, p), 1e-7f);
    }

    @Test
    void normPenaltyGradientsMatchFiniteDifferences() {
        GradientCheck.checkPenalty(create("norm-penalty(lambda=0.4, p=2)"), weight("d", W), GradientCheck.train());
        GradientCheck.checkPenalty(create("norm-penalty(lambda=0.4, p=1)"), weight("d", W), GradientCheck.train());
    }

    /** lam * torch.norm(W, 2) = lam * sqrt(sum W²), gradient lam * W / ||W||; p=1 is l1. */
    @Test
    void normPenaltyIsTheUnsquaredNorm() {
        double lambda = 0.4, sumSq = 0, sumAbs = 0;
        for (float w : W) {
            sumSq += (double) w * w;
            sumAbs += Math.abs(w);
        }
        double norm = Math.sqrt(sumSq);
        Parameter p = weight("d", W);
        ParameterRegularizer two = create("norm-penalty(lambda=0.4)");
        assertEquals(lambda * norm, two.penalty(p, GradientCheck.train()), 1e-7);
        float[] g = gradient(two, p);
        for (int i = 0; i < W.length; i++) assertEquals(lambda * W[i] / norm, g[i], 1e-7);
        ParameterRegularizer one = create("norm-penalty(lambda=0.4, p=1)");
        assertEquals(lambda * sumAbs, one.penalty(p, GradientCheck.train()), 1e-6);
        assertArrayEquals(gradient(create("l1(lambda=0.4)"), p), gradient(one, p));
        // at zero: no penalty, a zero subgradient, no NaN
        Parameter zero = weight("d", 0f, 0f);
        assertEquals(0, two.penalty(zero, GradientCheck.train()));
        assertArrayEquals(new float[] {0f, 0f}, gradient(two, zero));
    }

    @Test
    void normPenaltySelectsOneLayerByName() {
        ParameterRegularizer r = create("norm-penalty(lambda=1e-3, p=2, on=name:dense1.weight)");
        assertTrue(r.selector().test(weight("dense1", W)));
        assertTrue(!r.selector().test(weight("dense2", W)));
    }

    @Test
    void normPenaltyRefusesOtherNorms() {
        SpecException e = assertThrows(SpecException.class, () -> create("norm-penalty(lambda=1, p=3)"));
        assertTrue(e.getMessage().contains("p") && e.getMessage().contains("[1, 2]"), e.getMessage());
    }
}
