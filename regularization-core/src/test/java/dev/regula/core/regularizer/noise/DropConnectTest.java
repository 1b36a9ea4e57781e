package dev.regula.core.regularizer.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.Mode;
import dev.regula.api.StepContext;
import dev.regula.api.kernels.CounterRng;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.regularizer.ForwardPerturbation;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.kernels.ScalarKernels;
import dev.regula.core.testing.GradientCheck;
import org.junit.jupiter.api.Test;

class DropConnectTest {
    private final StepContext ctx = new StepContext(Mode.TRAIN, 6, 0, 0.1, 99L, new ScalarKernels());

    private static ForwardPerturbation create(String spec) {
        return (ForwardPerturbation) Regularizers.installed().parse(spec);
    }

    private static Parameter weight() {
        return new Parameter("dense1", "weight", ParameterRole.WEIGHT, GradientCheck.random(1, 1f, 20, 30));
    }

    @Test
    void perturbAppliesTheCounterRngMaskAndRestoreIsExact() {
        ForwardPerturbation r = create("drop-connect(p=0.25)");
        Parameter p = weight();
        float[] original = p.value().data().clone();
        r.perturb(p, ctx);
        long key = CounterRng.key(99L, CounterRng.stream("dense1.weight"), 6);
        float keep = 1f / 0.75f;
        float[] mask = new float[original.length];
        int dropped = 0;
        for (int i = 0; i < original.length; i++) {
            mask[i] = CounterRng.uniform(key, i) < 0.25f ? 0f : keep;
            if (mask[i] == 0f) dropped++;
            assertEquals(original[i] * mask[i], p.value().get(i), 0f, "θ̃[" + i + "]");
        }
        assertEquals(0.25, dropped / (double) original.length, 0.05);

        // Backward at θ̃ produced some gradient G; restore maps it to G ⊙ m.
        Tensor upstream = GradientCheck.random(2, 1f, 20, 30);
        p.grad().copyFrom(upstream);
        r.restore(p, ctx);
        for (int i = 0; i < original.length; i++) {
            assertEquals(Float.floatToIntBits(original[i]), Float.floatToIntBits(p.value().get(i)), "restored bit for bit at " + i);
            assertEquals(upstream.get(i) * mask[i], p.grad().get(i), 0f, "∂L/∂θ = ∂L/∂θ̃ ⊙ m at " + i);
        }
    }

    @Test
    void chainRuleHoldsForALossOfThePerturbedWeights() {
        // L(θ̃) = Σ c_i θ̃_i², so ∂L/∂θ = 2 c_i θ̃_i m_i; compare with finite differences through perturb.
        ForwardPerturbation r = create("drop-connect(p=0.5)");
        Parameter p = new Parameter("d", "weight", ParameterRole.WEIGHT, GradientCheck.random(3, 1f, 4, 5));
        Tensor c = GradientCheck.random(4, 1f, 4, 5);
        r.perturb(p, ctx);
        for (int i = 0; i < p.size(); i++) p.grad().set(i, 2 * c.get(i) * p.value().get(i));
        r.restore(p, ctx);
        float[] analytic = p.grad().data().clone();
        float[] v = p.value().data();
        for (int i = 0; i < v.length; i++) {
            float old = v[i];
            v[i] = old + GradientCheck.EPS;
            double plus = loss(r, p, c);
            v[i] = old - GradientCheck.EPS;
            double minus = loss(r, p, c);
            v[i] = old;
            double numeric = (plus - minus) / (2 * GradientCheck.EPS);
            assertEquals(numeric, analytic[i], 2e-3 + 2e-2 * Math.abs(numeric), "d/dθ[" + i + "]");
        }
    }

    private double loss(ForwardPerturbation r, Parameter p, Tensor c) {
        r.perturb(p, ctx);
        double l = 0;
        for (int i = 0; i < p.size(); i++) l += c.get(i) * p.value().get(i) * p.value().get(i);
        p.zeroGrad();
        r.restore(p, ctx);
        return l;
    }

    @Test
    void evalModeLeavesWeightsAloneAndMisuseIsReported() {
        ForwardPerturbation r = create("drop-connect");
        assertTrue(r.spec().contains("p=0.5") && r.spec().contains("on=weights"), r.spec());
        assertFalse(r.selector().test(new Parameter("d", "bias", ParameterRole.BIAS, Tensor.zeros(2))));
        Parameter p = weight();
        float[] before = p.value().data().clone();
        StepContext eval = StepContext.eval(new ScalarKernels());
        r.perturb(p, eval);
        assertArrayEquals(before, p.value().data(), 0f);
        p.grad().fill(1f);
        r.restore(p, eval);
        assertEquals(1f, p.grad().get(0));
        assertThrows(IllegalStateException.class, () -> r.restore(p, ctx), "restore without perturb");
        r.perturb(p, ctx);
        assertThrows(IllegalStateException.class, () -> r.perturb(p, ctx), "perturb twice");
    }
}
