package dev.regula.core.regularizer.constraint;

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

class ConstraintTest {
    private static ParameterRegularizer create(String spec) {
        return (ParameterRegularizer) Regularizers.installed().parse(spec);
    }

    private static Parameter weight(Tensor t) {
        return new Parameter("dense", "weight", ParameterRole.WEIGHT, t);
    }

    private static double rowNorm(float[] x, int row, int cols) {
        double s = 0;
        for (int c = 0; c < cols; c++) s += (double) x[row * cols + c] * x[row * cols + c];
        return Math.sqrt(s);
    }

    /** Random weights with some rows well above and some well below norm 1, plus a zero row. */
    private static Tensor mixed(long seed, int... shape) {
        Tensor t = GradientCheck.random(seed, 1f, shape);
        float[] d = t.data();
        int rows = shape[0];
        int cols = d.length / rows;
        for (int r = 0; r < rows; r++) {
            float f = r == 0 ? 0f : (r % 2 == 0 ? 5f : 0.1f);
            for (int c = 0; c < cols; c++) d[r * cols + c] *= f;
        }
        return t;
    }

    @Test
    void everyConstraintIsIdempotent() {
        String[] specs = {
            "max-norm(max=1)", "max-norm(max=0.5, axis=columns)", "unit-norm", "unit-norm(axis=columns)",
            "min-max-norm(min=0.5, max=1)", "min-max-norm(min=0.2, max=2, axis=columns)", "non-negative"};
        int[][] shapes = {{6, 5}, {4, 3, 2, 2}, {7}};
        for (String spec : specs) {
            ParameterRegularizer r = create(spec);
            assertEquals(Stage.CONSTRAINT, r.stage(), spec);
            long seed = 1;
            for (int[] shape : shapes) {
                Parameter p = weight(mixed(seed++, shape));
                float[] before = p.value().data().clone();
                r.apply(p, GradientCheck.train());
                float[] once = p.value().data().clone();
                r.apply(p, GradientCheck.train());
                assertArrayEquals(once, p.value().data(), 1e-6f, spec + " on " + java.util.Arrays.toString(shape));
                assertTrue(!java.util.Arrays.equals(before, once), spec + " should have changed something");
            }
        }
    }

    @Test
    void maxNormProjectsLargeRowsOntoTheBallAndLeavesSmallRowsAlone() {
        ParameterRegularizer r = create("max-norm(max=2)");
        int rows = 6, cols = 5;
        Parameter p = weight(mixed(3, rows, cols));
        float[] before = p.value().data().clone();
        r.apply(p, GradientCheck.train());
        float[] x = p.value().data();
        for (int row = 0; row < rows; row++) {
            double n0 = rowNorm(before, row, cols);
            double n1 = rowNorm(x, row, cols);
            if (n0 <= 2) {
                for (int c = 0; c < cols; c++) assertEquals(before[row * cols + c], x[row * cols + c], "row " + row);
            } else {
                assertEquals(2, n1, 1e-5, "row " + row);
                for (int c = 0; c < cols; c++) assertEquals(before[row * cols + c] * 2 / n0, x[row * cols + c], 1e-5);
            }
        }
    }

    @Test
    void unitNormScalesRowsToOneAndKeepsZeroRows() {
        ParameterRegularizer r = create("unit-norm");
        Parameter p = weight(mixed(4, 5, 3));
        r.apply(p, GradientCheck.train());
        float[] x = p.value().data();
        assertEquals(0, rowNorm(x, 0, 3));
        for (int row = 1; row < 5; row++) assertEquals(1, rowNorm(x, row, 3), 1e-6);
    }

    @Test
    void unitNormOnRank1IsTheWholeVector() {
        Parameter p = weight(Tensor.of(new float[] {3f, 4f}, 2));
        create("unit-norm").apply(p, GradientCheck.train());
        assertArrayEquals(new float[] {0.6f, 0.8f}, p.value().data(), 1e-7f);
    }

    @Test
    void minMaxNormClipsNormsAndRateBelowOneIsAPartialStep() {
        float[] v = {0.3f, 0.4f, 0f, 0f, 3f, 4f, 0f, 0f, 0.6f, 0.8f, 0f, 0f}; // norms 0.5, 5, 1
        Parameter p = weight(Tensor.of(v, 3, 4));
        create("min-max-norm(min=1, max=2)").apply(p, GradientCheck.train());
        float[] x = p.value().data();
        assertEquals(1, rowNorm(x, 0, 4), 1e-6);
        assertEquals(2, rowNorm(x, 1, 4), 1e-6);
        for (int i = 8; i < 12; i++) assertEquals(v[i], x[i], "row inside [min, max] is untouched");

        Parameter q = weight(Tensor.of(v, 3, 4));
        ParameterRegularizer half = create("min-max-norm(min=1, max=2, rate=0.5)");
        half.apply(q, GradientCheck.train());
        assertEquals(0.75, rowNorm(q.value().data(), 0, 4), 1e-6);
        assertEquals(3.5, rowNorm(q.value().data(), 1, 4), 1e-6);
        half.apply(q, GradientCheck.train());
        assertEquals(3.5 * 0.5 + 1, rowNorm(q.value().data(), 1, 4), 1e-6, "rate < 1 is not idempotent");
    }

    @Test
    void nonNegativeClampsAtZero() {
        Parameter p = weight(Tensor.of(new float[] {-1f, 0f, 2f, -0.5f}, 2, 2));
        create("non-negative").apply(p, GradientCheck.train());
        assertArrayEquals(new float[] {0f, 0f, 2f, 0f}, p.value().data());
    }

    @Test
    void minLargerThanMaxIsRefused() {
        SpecException e = assertThrows(SpecException.class, () -> create("min-max-norm(min=3, max=2)"));
        assertTrue(e.getMessage().contains("min-max-norm") && e.getMessage().contains("min <= max"), e.getMessage());
        SpecException rate = assertThrows(SpecException.class, () -> create("min-max-norm(rate=0)"));
        assertTrue(rate.getMessage().contains("rate") && rate.getMessage().contains("(0, 1]"), rate.getMessage());
    }
}
