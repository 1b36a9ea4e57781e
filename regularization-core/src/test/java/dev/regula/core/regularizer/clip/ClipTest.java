package dev.regula.core.regularizer.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.regularizer.GradientClipper;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.core.testing.GradientCheck;
import dev.regula.api.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClipTest {
    private static GradientClipper create(String spec) {
        return (GradientClipper) Regularizers.installed().parse(spec);
    }

    /** Two parameters whose gradients are (3, 0) and (0, 4): global norm 5. */
    private static List<Parameter> params(float scale) {
        Parameter w = new Parameter("dense", "weight", ParameterRole.WEIGHT, Tensor.zeros(2));
        Parameter b = new Parameter("dense", "bias", ParameterRole.BIAS, Tensor.zeros(2));
        w.grad().set(0, 3f * scale);
        b.grad().set(1, 4f * scale);
        return List.of(w, b);
    }

    private static double globalNorm(List<Parameter> ps) {
        double s = 0;
        for (Parameter p : ps) for (float g : p.grad().data()) s += (double) g * g;
        return Math.sqrt(s);
    }

    @Test
    void clipNormScalesToExactlyMaxAndKeepsTheDirection() {
        List<Parameter> ps = params(1f);
        double before = create("clip-norm(max=2)").clip(ps, GradientCheck.train());
        assertEquals(5, before, 1e-12);
        assertEquals(2, globalNorm(ps), 1e-6);
        assertArrayEquals(new float[] {1.2f, 0f}, ps.get(0).grad().data(), 1e-6f);
        assertArrayEquals(new float[] {0f, 1.6f}, ps.get(1).grad().data(), 1e-6f);
    }

    @Test
    void clipNormLeavesSmallGradientsUntouched() {
        List<Parameter> ps = params(0.1f);
        float[] w = ps.get(0).grad().data().clone();
        float[] b = ps.get(1).grad().data().clone();
        double before = create("clip-norm(max=1)").clip(ps, GradientCheck.train());
        assertEquals(0.5, before, 1e-6);
        assertArrayEquals(w, ps.get(0).grad().data());
        assertArrayEquals(b, ps.get(1).grad().data());
    }

    @Test
    void clipNormLeavesNonFiniteGradientsForTheNumericalCheck() {
        List<Parameter> ps = params(1f);
        ps.get(0).grad().set(1, Float.NaN);
        double before = create("clip-norm(max=1)").clip(ps, GradientCheck.train());
        assertTrue(Double.isNaN(before));
        assertEquals(3f, ps.get(0).grad().get(0));
    }

    @Test
    void clipValueClampsEveryEntryAndReturnsTheNormBefore() {
        List<Parameter> ps = params(1f);
        ps.get(0).grad().set(1, -0.5f);
        double before = create("clip-value(max=1)").clip(ps, GradientCheck.train());
        assertEquals(Math.sqrt(25.25), before, 1e-6);
        assertArrayEquals(new float[] {1f, -0.5f}, ps.get(0).grad().data());
        assertArrayEquals(new float[] {0f, 1f}, ps.get(1).grad().data());
    }
}
