package dev.regula.core.regularizer.constraint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.regularizer.Stage;
import dev.regula.api.spec.SpecException;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.testing.GradientCheck;
import org.junit.jupiter.api.Test;

class SpectralNormTest {
    private static final StepContext CTX = GradientCheck.train();

    private static ParameterRegularizer create(String spec) {
        return (ParameterRegularizer) Regularizers.installed().parse(spec);
    }

    private static Parameter weight(String layer, long seed, float scale, int... shape) {
        return new Parameter(layer, "weight", ParameterRole.WEIGHT, GradientCheck.random(seed, scale, shape));
    }

    /** σ of the [dim0, rest] view by 2000 double-precision power iterations on WᵀW from an all-ones start. */
    static double sigma(Tensor t) {
        int rows = t.dim(0);
        int cols = t.size() / rows;
        double[] v = new double[cols];
        java.util.Arrays.fill(v, 1.0);
        double s = 0;
        for (int it = 0; it < 2000; it++) {
            double[] u = new double[rows];
            for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) u[r] += t.get(r * cols + c) * v[c];
            double[] nv = new double[cols];
            for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) nv[c] += t.get(r * cols + c) * u[r];
            double n = 0;
            for (double x : nv) n += x * x;
            n = Math.sqrt(n);
            s = Math.sqrt(n); // ‖WᵀW v‖ → σ² for unit v
            for (int c = 0; c < cols; c++) v[c] = nv[c] / n;
        }
        return s;
    }

    @Test
    void enoughIterationsBoundTheSpectralNorm() {
        ParameterRegularizer r = create("spectral-norm(max=1.5, iterations=60)");
        assertEquals(Stage.CONSTRAINT, r.stage());
        for (int[] shape : new int[][] {{8, 5}, {3, 12}, {4, 2, 3, 3}, {6}}) {
            Parameter p = weight("conv", shape.length, 2f, shape);
            assertTrue(sigma(p.value()) > 1.6, "test setup: " + java.util.Arrays.toString(shape));
            r.apply(p, CTX);
            double s = sigma(p.value());
            assertTrue(s <= 1.5 * (1 + 1e-3) && s >= 1.5 * (1 - 1e-2), java.util.Arrays.toString(shape) + ": σ = " + s);
        }
    }

    @Test
    void oneIterationPerStepConvergesAcrossSteps() {
        ParameterRegularizer r = create("spectral-norm");
        Parameter p = weight("d2", 3, 1f, 16, 4, 3, 3);
        for (int step = 0; step < 40; step++) r.apply(p, CTX);
        double s = sigma(p.value());
        assertTrue(s <= 1 + 1e-3 && s > 0.99, "σ = " + s);
    }

    @Test
    void isIdempotentOnceConverged() {
        ParameterRegularizer r = create("spectral-norm(max=0.7, iterations=100)");
        Parameter p = weight("dense", 5, 1f, 7, 9);
        r.apply(p, CTX);
        float[] once = p.value().data().clone();
        r.apply(p, CTX);
        assertArrayEquals(once, p.value().data());
    }

    @Test
    void smallWeightsAndZeroWeightsAreLeftAlone() {
        ParameterRegularizer r = create("spectral-norm(max=10, iterations=20)");
        Parameter p = weight("dense", 6, 0.1f, 5, 4);
        float[] before = p.value().data().clone();
        r.apply(p, CTX);
        assertArrayEquals(before, p.value().data());
        Parameter zero = new Parameter("z", "weight", ParameterRole.WEIGHT, Tensor.zeros(3, 3));
        r.apply(zero, CTX);
        assertArrayEquals(new float[9], zero.value().data());
    }

    @Test
    void selectsWeightsNotBiasesByDefault() {
        ParameterRegularizer r = create("spectral-norm");
        assertTrue(r.selector().test(weight("d", 1, 1f, 2, 2)));
        assertFalse(r.selector().test(new Parameter("d", "bias", ParameterRole.BIAS, Tensor.zeros(2))));
        assertFalse(r.selector().test(new Parameter("bn", "weight", ParameterRole.NORM_SCALE, Tensor.zeros(2))));
        assertEquals("spectral-norm", r.name());
        assertEquals(r.spec(), create(r.spec()).spec());
    }

    @Test
    void isDeterministicForASeed() {
        Parameter a = weight("g", 9, 3f, 6, 6);
        Parameter b = weight("g", 9, 3f, 6, 6);
        create("spectral-norm").apply(a, CTX);
        create("spectral-norm").apply(b, CTX);
        assertArrayEquals(a.value().data(), b.value().data());
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(SpecException.class, () -> create("spectral-norm(max=0)"));
        assertThrows(SpecException.class, () -> create("spectral-norm(iterations=0)"));
    }
}
