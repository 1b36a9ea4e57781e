package dev.regula.core.regularizer.proximal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class ProximalTest {
    private static final double LR = 0.1;

    private static ParameterRegularizer create(String spec) {
        return (ParameterRegularizer) Regularizers.installed().parse(spec);
    }

    private static StepContext ctx(long step) {
        return new StepContext(Mode.TRAIN, step, 0, LR, 42L, new ScalarKernels());
    }

    private static Parameter weight(Tensor t) {
        return new Parameter("dense", "weight", ParameterRole.WEIGHT, t);
    }

    private static double sq(double x) {
        return x * x;
    }

    /** Checks that no random or coordinate perturbation of x lowers the objective (x is a minimiser). */
    private static void assertMinimises(ToDoubleFunction<float[]> objective, float[] x) {
        double best = objective.applyAsDouble(x);
        SplittableRandom r = new SplittableRandom(9);
        for (double delta : new double[] {1e-1, 1e-2, 1e-3}) {
            for (int i = 0; i < x.length; i++) {
                for (int sign = -1; sign <= 1; sign += 2) {
                    float[] y = x.clone();
                    y[i] += (float) (sign * delta);
                    assertTrue(objective.applyAsDouble(y) >= best - 1e-6, "coordinate " + i + " moved by " + sign * delta);
                }
            }
            for (int trial = 0; trial < 50; trial++) {
                float[] y = x.clone();
                for (int i = 0; i < y.length; i++) y[i] += (float) ((r.nextDouble() * 2 - 1) * delta);
                assertTrue(objective.applyAsDouble(y) >= best - 1e-6, "random perturbation of size " + delta);
            }
        }
    }

    @Test
    void l1ProximalIsSoftThresholdingWithExactZeros() {
        ParameterRegularizer r = create("l1-proximal(lambda=2)");
        assertEquals(Stage.PROXIMAL, r.stage());
        float[] v = {-0.5f, -0.2f, -0.1f, 0f, 0.05f, 0.2f, 0.21f, 1f};
        Parameter p = weight(Tensor.of(v, 2, 4));
        r.apply(p, ctx(3));
        double t = LR * 2; // threshold 0.2
        float[] x = p.value().data();
        for (int i = 0; i < v.length; i++) {
            double expected = Math.signum(v[i]) * Math.max(Math.abs(v[i]) - t, 0);
            assertEquals(expected, x[i], 1e-6, "entry " + i);
            if (Math.abs(v[i]) <= t) assertEquals(0f, x[i], "entry " + i + " must be an exact zero");
        }
        assertEquals(0f, x[2]);
        assertTrue(x[6] > 0 && x[7] > 0);
        assertEquals(2 * sumAbs(x), r.penalty(p, ctx(3)), 1e-6);
    }

    @Test
    void l1ProximalResultMinimisesTheProximalObjective() {
        ParameterRegularizer r = create("l1-proximal(lambda=3)");
        float[] v = GradientCheck.random(4, 1f, 12).data();
        Parameter p = weight(Tensor.of(v, 12));
        r.apply(p, ctx(0));
        double t = LR * 3;
        assertMinimises(x -> {
            double f = 0;
            for (int i = 0; i < x.length; i++) f += 0.5 * sq(x[i] - v[i]) + t * Math.abs(x[i]);
            return f;
        }, p.value().data());
    }

    @Test
    void l1ProximalReadsItsScheduleAndTheLearningRate() {
        ParameterRegularizer r = create("l1-proximal(lambda=linear(from=0, to=1, steps=1000))");
        float[] v = {0.05f, -0.3f};
        Parameter p = weight(Tensor.of(v, 2));
        r.apply(p, ctx(0));
        assertArrayEquals(v, p.value().data());
        r.apply(p, ctx(1000));
        assertArrayEquals(new float[] {0f, -0.2f}, p.value().data(), 1e-7f);
        assertEquals(0, r.penalty(p, ctx(0)));
    }

    @Test
    void groupLassoZeroesSmallRowsExactlyAndShrinksOthersByTheClosedForm() {
        ParameterRegularizer r = create("group-lasso(lambda=1)");
        // rows of 4: threshold η·λ·√4 = 0.2
        float[] v = {
            0.05f, -0.05f, 0.05f, 0.05f, // norm 0.1 -> zero
            0f, 0f, 0f, 0f,              // zero row stays zero
            0.3f, 0.4f, 0f, 0f,          // norm 0.5 -> scaled by 1 - 0.2/0.5 = 0.6
            1f, -1f, 1f, -1f};           // norm 2 -> scaled by 0.9
        Parameter p = weight(Tensor.of(v, 4, 4));
        double penaltyBefore = r.penalty(p, ctx(3));
        assertEquals(1 * 2 * (0.1 + 0 + 0.5 + 2), penaltyBefore, 1e-6);
        r.apply(p, ctx(3));
        float[] x = p.value().data();
        for (int i = 0; i < 8; i++) assertEquals(0f, x[i], "entry " + i + " must be an exact zero");
        for (int i = 8; i < 12; i++) assertEquals(v[i] * 0.6, x[i], 1e-6);
        for (int i = 12; i < 16; i++) assertEquals(v[i] * 0.9, x[i], 1e-6);
    }

    @Test
    void groupLassoOnColumnsAndConvKernels() {
        ParameterRegularizer cols = create("group-lasso(lambda=1, groups=columns)");
        // 4x2, columns of 4: threshold 0.2; column 0 norm 0.1 -> zero, column 1 norm 1 -> x0.8
        float[] v = {0.05f, 0.5f, 0.05f, -0.5f, 0.05f, 0.5f, 0.05f, 0.5f};
        Parameter p = weight(Tensor.of(v, 4, 2));
        cols.apply(p, ctx(3));
        for (int r = 0; r < 4; r++) {
            assertEquals(0f, p.value().get(r, 0));
            assertEquals(v[r * 2 + 1] * 0.8, p.value().get(r, 1), 1e-6);
        }
        // conv kernel [out=2, in=1, 2, 2]: rows are the 4 weights of one output channel
        ParameterRegularizer rows = create("group-lasso(lambda=1)");
        float[] k = {0.05f, 0.05f, 0.05f, 0.05f, 0.5f, 0.5f, 0.5f, 0.5f};
        Parameter conv = weight(Tensor.of(k, 2, 1, 2, 2));
        rows.apply(conv, ctx(3));
        for (int i = 0; i < 4; i++) assertEquals(0f, conv.value().get(i));
        for (int i = 4; i < 8; i++) assertEquals(0.5 * 0.8, conv.value().get(i), 1e-6);
    }

    @Test
    void groupLassoResultMinimisesTheProximalObjective() {
        ParameterRegularizer r = create("group-lasso(lambda=2)");
        int rows = 4, cols = 3;
        float[] v = GradientCheck.random(8, 0.5f, rows, cols).data();
        v[0] = 0.01f; v[1] = -0.02f; v[2] = 0.01f; // a row that is zeroed
        Parameter p = weight(Tensor.of(v, rows, cols));
        r.apply(p, ctx(3));
        double t = LR * 2 * Math.sqrt(cols);
        assertArrayEquals(new float[] {0f, 0f, 0f}, java.util.Arrays.copyOf(p.value().data(), 3));
        assertMinimises(x -> {
            double f = 0;
            for (int i = 0; i < x.length; i++) f += 0.5 * sq(x[i] - v[i]);
            for (int g = 0; g < rows; g++) {
                double n = 0;
                for (int c = 0; c < cols; c++) n += sq(x[g * cols + c]);
                f += t * Math.sqrt(n);
            }
            return f;
        }, p.value().data());
    }

    private static double sumAbs(float[] x) {
        double s = 0;
        for (float f : x) s += Math.abs(f);
        return s;
    }
}
