package dev.regula.core.regularizer.soft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.Mode;
import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.spec.SpecException;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.kernels.ScalarKernels;
import dev.regula.core.testing.GradientCheck;
import org.junit.jupiter.api.Test;

class SoftConstraintTest {
    private final StepContext ctx = GradientCheck.train();

    private static SoftConstraint create(String spec) {
        return (SoftConstraint) Regularizers.installed().parse(spec);
    }

    /** Rows with norms 2.0 (above), 0.2 (below), 0.8 (inside [0.5, 1]) and 0 (no direction). */
    private static Parameter banded() {
        Tensor t = Tensor.zeros(4, 3);
        float[][] dirs = {{0.6f, 0.8f, 0f}, {0f, 0.6f, -0.8f}, {-0.8f, 0f, 0.6f}, {0f, 0f, 0f}};
        float[] norms = {2f, 0.2f, 0.8f, 0f};
        for (int r = 0; r < 4; r++) for (int c = 0; c < 3; c++) t.set(r, c, dirs[r][c] * norms[r]);
        return new Parameter("dense1", "weight", ParameterRole.WEIGHT, t);
    }

    private static double rowNorm(Parameter p, int r) {
        double s = 0;
        for (int c = 0; c < p.value().dim(1); c++) s += Math.pow(p.value().get(r, c), 2);
        return Math.sqrt(s);
    }

    @Test
    void penaltyIsZeroInsideTheBandAndQuadraticOutside() {
        SoftConstraint r = create("soft-constraint(lambda=2, min=0.5, max=1)");
        Parameter p = banded();
        // λ/2 = 1 times (2 − 1)² above, (0.5 − 0.2)² and (0.5 − 0)² below; the 0.8 row is inside.
        double expected = 1.0 + 0.09 + 0.25;
        assertEquals(expected, r.penalty(p, ctx), 1e-5);
        Parameter inside = new Parameter("d", "weight", ParameterRole.WEIGHT, Tensor.of(new float[] {0.6f, 0f, 0f, 0.9f}, 2, 2));
        assertEquals(0.0, r.penalty(inside, ctx));
        inside.zeroGrad();
        r.apply(inside, ctx);
        assertArrayEquals(new float[4], inside.grad().data());
    }

    @Test
    void gradientMatchesFiniteDifferencesOnEveryAxis() {
        for (String axis : new String[] {"rows", "columns", "all"}) {
            SoftConstraint r = create("soft-constraint(lambda=1.5, min=0.5, max=1, axis=" + axis + ")");
            Parameter p = banded();
            p.value().data()[9] = 0.3f; // give the zero row a direction
            GradientCheck.checkPenalty(r, p, ctx);
            Parameter wide = new Parameter("d", "weight", ParameterRole.WEIGHT, GradientCheck.random(9, 1.5f, 3, 5));
            GradientCheck.checkPenalty(r, wide, ctx);
        }
    }

    @Test
    void projectionIsIdempotentAndLandsInTheBand() {
        SoftConstraint r = create("soft-constraint(lambda=1, min=0.5, max=1)");
        Parameter p = banded();
        r.project(p);
        assertEquals(1.0, rowNorm(p, 0), 1e-6);
        assertEquals(0.5, rowNorm(p, 1), 1e-6);
        assertEquals(0.8, rowNorm(p, 2), 1e-6);
        assertEquals(0.0, rowNorm(p, 3), "a zero row has no direction to scale");
        float[] once = p.value().data().clone();
        r.project(p);
        assertArrayEquals(once, p.value().data(), 0f);
    }

    @Test
    void annealsIntoTheHardProjectionAfterAnnealSteps() {
        SoftConstraint r = create("soft-constraint(lambda=1, min=0.5, max=1, anneal_steps=10)");
        Parameter p = banded();
        float[] before = p.value().data().clone();
        r.apply(p, new StepContext(Mode.TRAIN, 9, 0, 0.1, 1, new ScalarKernels()));
        assertArrayEquals(before, p.value().data(), 0f, "soft before anneal_steps");
        assertNotEquals(0f, p.grad().get(0));
        p.zeroGrad();
        StepContext late = new StepContext(Mode.TRAIN, 10, 0, 0.1, 1, new ScalarKernels());
        r.apply(p, late);
        assertEquals(1.0, rowNorm(p, 0), 1e-6);
        assertEquals(0.5, rowNorm(p, 1), 1e-6);
        assertEquals(0.5 * 0.25, r.penalty(p, late), 1e-6, "only the zero row, which has no direction, is left below min");
        for (float g : p.grad().data()) assertEquals(0f, g, 1e-6f, "no penalty gradient once projected");
    }

    @Test
    void minAboveMaxIsRejected() {
        SpecException e = assertThrows(SpecException.class, () -> create("soft-constraint(lambda=1, min=2, max=1)"));
        assertTrue(e.getMessage().contains("min") && e.getMessage().contains("max"), e.getMessage());
    }
}
