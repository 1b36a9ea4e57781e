package dev.regula.core.regularizer.penalty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.Mode;
import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.regularizer.Stage;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.kernels.ScalarKernels;
import dev.regula.core.testing.GradientCheck;
import org.junit.jupiter.api.Test;

class PenaltyTest {
    private static ParameterRegularizer create(String spec) {
        return (ParameterRegularizer) Regularizers.installed().parse(spec);
    }

    private static Parameter weight(Tensor value) {
        return new Parameter("dense", "weight", ParameterRole.WEIGHT, value);
    }

    private static StepContext at(long step) {
        return new StepContext(Mode.TRAIN, step, 0, 0.1, 42L, new ScalarKernels());
    }

    /** Random values with |x| ≥ 0.1, so that ±EPS never crosses the kink of |x| at 0. */
    private static Tensor awayFromZero(long seed, int... shape) {
        Tensor t = GradientCheck.random(seed, 1f, shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] = Math.copySign(0.1f + Math.abs(d[i]), d[i] == 0 ? 1f : d[i]);
        return t;
    }

    @Test
    void l1GradientMatchesFiniteDifferencesAwayFromZero() {
        ParameterRegularizer r = create("l1(lambda=0.3)");
        assertEquals(Stage.GRADIENT, r.stage());
        GradientCheck.checkPenalty(r, weight(awayFromZero(1, 4, 5)), GradientCheck.train());
    }

    @Test
    void l1PenaltyAndSubgradientAtZero() {
        ParameterRegularizer r = create("l1(lambda=0.5)");
        Parameter p = weight(Tensor.of(new float[] {-2f, 0f, 3f}, 3));
        assertEquals(0.5 * 5, r.penalty(p, GradientCheck.train()), 1e-12);
        r.apply(p, GradientCheck.train());
        assertArrayEquals(new float[] {-0.5f, 0f, 0.5f}, p.grad().data());
    }

    @Test
    void l2GradientMatchesFiniteDifferencesAndUsesHalfConvention() {
        ParameterRegularizer r = create("l2(lambda=0.7)");
        Parameter p = weight(GradientCheck.random(2, 1f, 3, 4));
        GradientCheck.checkPenalty(r, p, GradientCheck.train());
        Parameter q = weight(Tensor.of(new float[] {1f, -2f}, 2));
        assertEquals(0.7 / 2 * 5, r.penalty(q, GradientCheck.train()), 1e-9);
        r.apply(q, GradientCheck.train());
        assertArrayEquals(new float[] {0.7f, -1.4f}, q.grad().data(), 1e-7f);
    }

    @Test
    void elasticNetGradientMatchesFiniteDifferencesAndIsTheSumOfItsParts() {
        ParameterRegularizer r = create("elastic-net(l1=0.2, l2=0.6)");
        Parameter p = weight(awayFromZero(3, 2, 6));
        GradientCheck.checkPenalty(r, p, GradientCheck.train());
        double l1 = create("l1(lambda=0.2)").penalty(p, GradientCheck.train());
        double l2 = create("l2(lambda=0.6)").penalty(p, GradientCheck.train());
        assertEquals(l1 + l2, r.penalty(p, GradientCheck.train()), 1e-9);
    }

    @Test
    void orthogonalGradientMatchesFiniteDifferencesForWideTallConvAndVectorShapes() {
        ParameterRegularizer r = create("orthogonal(lambda=0.3)");
        int[][] shapes = {{3, 5}, {5, 3}, {2, 2, 2, 2}, {4}};
        long seed = 10;
        for (int[] shape : shapes) {
            GradientCheck.checkPenalty(r, weight(GradientCheck.random(seed++, 0.6f, shape)), GradientCheck.train());
        }
    }

    @Test
    void orthogonalPenaltyUsesTheSmallerGramAndIsZeroForSemiOrthogonalWeights() {
        ParameterRegularizer r = create("orthogonal(lambda=2)");
        double c = Math.cos(0.3), s = Math.sin(0.3);
        // 2x3 with orthonormal rows: W·Wᵀ = I (Wᵀ·W is not I).
        Parameter wide = weight(Tensor.of(new float[] {(float) c, (float) -s, 0f, (float) s, (float) c, 0f}, 2, 3));
        assertEquals(0, r.penalty(wide, GradientCheck.train()), 1e-6);
        // 3x2 with orthonormal columns: Wᵀ·W = I.
        Parameter tall = weight(Tensor.of(new float[] {(float) c, (float) s, (float) -s, (float) c, 0f, 0f}, 3, 2));
        assertEquals(0, r.penalty(tall, GradientCheck.train()), 1e-6);
        // Naive value for a general 2x3 matrix.
        float[] w = {1f, 2f, 0f, -1f, 0.5f, 3f};
        double[][] g = new double[2][2];
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++)
                for (int k = 0; k < 3; k++) g[i][j] += (double) w[i * 3 + k] * w[j * 3 + k];
        double expected = 0;
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++) expected += Math.pow(g[i][j] - (i == j ? 1 : 0), 2);
        assertEquals(2 * expected, r.penalty(weight(Tensor.of(w, 2, 3)), GradientCheck.train()), 1e-4);
    }

    @Test
    void lambdaScheduleIsReadAtTheStep() {
        ParameterRegularizer r = create("l2(lambda=linear(from=0, to=1, steps=1000))");
        Parameter p = weight(Tensor.of(new float[] {2f}, 1));
        assertEquals(0, r.penalty(p, at(0)));
        assertEquals(1.0, r.penalty(p, at(500)), 1e-12);
        assertEquals(2.0, r.penalty(p, at(1000)), 1e-12);
        r.apply(p, at(0));
        assertEquals(0f, p.grad().get(0));
        r.apply(p, at(1000));
        assertEquals(2f, p.grad().get(0));
        assertNotEquals(r.penalty(p, at(0)), r.penalty(p, at(1000)));
    }

    @Test
    void zeroLambdaLeavesTheGradientBitForBit() {
        for (String spec : new String[] {"l1(lambda=0)", "l2(lambda=0)", "elastic-net(l1=0, l2=0)", "orthogonal(lambda=0)"}) {
            ParameterRegularizer r = create(spec);
            Parameter p = weight(GradientCheck.random(5, 1f, 3, 3));
            float[] g = GradientCheck.random(6, 1f, 3, 3).data();
            System.arraycopy(g, 0, p.grad().data(), 0, g.length);
            r.apply(p, GradientCheck.train());
            assertArrayEquals(g, p.grad().data(), spec);
            assertEquals(0, r.penalty(p, GradientCheck.train()), spec);
        }
    }

    @Test
    void penaltiesAddToAnExistingGradient() {
        ParameterRegularizer r = create("l2(lambda=1)");
        Parameter p = weight(Tensor.of(new float[] {3f}, 1));
        p.grad().set(0, 1f);
        r.apply(p, GradientCheck.train());
        assertEquals(4f, p.grad().get(0));
        assertTrue(r.spec().startsWith("l2(lambda=1"));
    }
}
