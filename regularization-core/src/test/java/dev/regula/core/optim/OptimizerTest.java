package dev.regula.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.Mode;
import dev.regula.api.StepContext;
import dev.regula.api.optim.Optimizer;
import dev.regula.api.optim.OptimizerProvider;
import dev.regula.api.optim.Optimizers;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.regularizer.Stage;
import dev.regula.api.spec.SpecException;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.kernels.ScalarKernels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OptimizerTest {
    private static final ScalarKernels K = new ScalarKernels();

    private static StepContext ctx(Optimizer o, long step) {
        return new StepContext(Mode.TRAIN, step, 0, o.learningRate().valueAt(step, 0), 1L, K);
    }

    private static Parameter param(String layer, ParameterRole role, float... values) {
        return new Parameter(layer, role == ParameterRole.BIAS ? "bias" : "weight", role, Tensor.of(values, values.length));
    }

    private static void setGrad(Parameter p, float... g) {
        p.grad().copyFrom(Tensor.of(g, g.length));
    }

    @Test
    void providersAreInstalled() {
        List<String> names = Optimizers.installed().providers().stream().map(OptimizerProvider::name).toList();
        assertTrue(names.containsAll(List.of("sgd", "adam", "adamw", "rmsprop")), names.toString());
        assertEquals("adam", Optimizers.create("adam").name());
        assertEquals("adam(lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8)", Optimizers.create("adam").spec());
    }

    @Test
    void plainSgdStep() {
        Optimizer o = Optimizers.create("sgd(lr=0.1)");
        Parameter p = param("d", ParameterRole.WEIGHT, 1f, 2f);
        setGrad(p, 0.5f, -1f);
        o.step(List.of(p), ctx(o, 0));
        assertArrayEquals(new float[] {0.95f, 2.1f}, p.value().data(), 1e-7f);
        assertTrue(o.state().isEmpty(), "plain SGD keeps no state");
    }

    @Test
    void momentumAndNesterovMatchClosedForm() {
        float mu = 0.9f;
        float lr = 0.1f;
        float g1 = 0.5f;
        float g2 = -0.2f;
        for (boolean nesterov : new boolean[] {false, true}) {
            Optimizer o = Optimizers.create("sgd(lr=0.1, momentum=0.9, nesterov=" + nesterov + ")");
            Parameter p = param("d", ParameterRole.WEIGHT, 1f);
            setGrad(p, g1);
            o.step(List.of(p), ctx(o, 0));
            float v1 = g1;
            float expected = 1f - lr * (nesterov ? g1 + mu * v1 : v1);
            assertEquals(expected, p.value().get(0), 1e-7f, "nesterov=" + nesterov + " step 1");
            setGrad(p, g2);
            o.step(List.of(p), ctx(o, 1));
            float v2 = mu * v1 + g2;
            expected -= lr * (nesterov ? g2 + mu * v2 : v2);
            assertEquals(expected, p.value().get(0), 1e-7f, "nesterov=" + nesterov + " step 2");
            assertEquals(v2, o.state().get("d.weight#velocity").get(0), 1e-7f);
        }
    }

    @Test
    void nesterovWithoutMomentumIsRejected() {
        SpecException e = assertThrows(SpecException.class, () -> Optimizers.create("sgd(nesterov=true)"));
        assertTrue(e.getMessage().contains("momentum"), e.getMessage());
    }

    @Test
    void adamFirstTwoStepsMatchClosedForm() {
        double lr = 0.01;
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-8;
        Optimizer o = Optimizers.create("adam(lr=0.01)");
        Parameter p = param("d", ParameterRole.WEIGHT, 1f, -2f, 0.5f);
        float[] g1 = {0.3f, -4f, 0f};
        float[] g2 = {-0.1f, 2f, 1e-3f};
        double[] theta = {1, -2, 0.5};
        double[] m = new double[3];
        double[] v = new double[3];
        float[][] grads = {g1, g2};
        for (int t = 1; t <= 2; t++) {
            setGrad(p, grads[t - 1]);
            o.step(List.of(p), ctx(o, t - 1));
            for (int i = 0; i < 3; i++) {
                double g = grads[t - 1][i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                double mHat = m[i] / (1 - Math.pow(b1, t));
                double vHat = v[i] / (1 - Math.pow(b2, t));
                theta[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
                assertEquals(theta[i], p.value().get(i), 2e-6, "step " + t + " element " + i);
            }
        }
        // first step moves each nonzero-gradient coordinate by ≈ lr against the gradient's sign
        assertEquals(2f, o.state().get("#step").get(0));
    }

    @Test
    void rmspropMatchesClosedForm() {
        for (double mu : new double[] {0, 0.5}) {
            double lr = 0.01;
            double alpha = 0.99;
            double eps = 1e-8;
            Optimizer o = Optimizers.create("rmsprop(momentum=" + mu + ")");
            Parameter p = param("d", ParameterRole.WEIGHT, 1f, -1f);
            float[][] grads = {{0.2f, -3f}, {0.1f, 1f}};
            double[] theta = {1, -1};
            double[] s = new double[2];
            double[] b = new double[2];
            for (int t = 0; t < 2; t++) {
                setGrad(p, grads[t]);
                o.step(List.of(p), ctx(o, t));
                for (int i = 0; i < 2; i++) {
                    double g = grads[t][i];
                    s[i] = alpha * s[i] + (1 - alpha) * g * g;
                    double step = g / (Math.sqrt(s[i]) + eps);
                    b[i] = mu * b[i] + step;
                    theta[i] -= lr * (mu > 0 ? b[i] : step);
                    assertEquals(theta[i], p.value().get(i), 2e-6, "mu=" + mu + " step " + t + " element " + i);
                }
            }
        }
        // the first step of RMSProp without momentum moves by lr/√(1−α) = 0.1 per coordinate
        Optimizer o = Optimizers.create("rmsprop");
        Parameter p = param("d", ParameterRole.WEIGHT, 0f);
        setGrad(p, 7f);
        o.step(List.of(p), ctx(o, 0));
        assertEquals(-0.1f, p.value().get(0), 1e-6f);
    }

    /** f(θ) = ½ Σ aᵢ (θᵢ − cᵢ)², minimised at c. */
    private static double minimiseQuadratic(String spec, int steps) {
        float[] a = {1f, 10f, 0.5f, 3f};
        float[] c = {1f, -2f, 3f, 0.25f};
        Optimizer o = Optimizers.create(spec);
        Parameter p = param("q", ParameterRole.WEIGHT, 0f, 0f, 0f, 0f);
        for (int s = 0; s < steps; s++) {
            for (int i = 0; i < 4; i++) p.grad().set(i, a[i] * (p.value().get(i) - c[i]));
            o.step(List.of(p), ctx(o, s));
        }
        double err = 0;
        for (int i = 0; i < 4; i++) err = Math.max(err, Math.abs(p.value().get(i) - c[i]));
        return err;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd(lr=0.05)", "sgd(lr=0.05, momentum=0.9)", "sgd(lr=0.05, momentum=0.9, nesterov=true)",
            "adam(lr=0.05)", "adamw(lr=0.05, weight_decay=0)", "rmsprop(lr=0.01)", "rmsprop(lr=0.01, momentum=0.5)"})
    void minimisesAQuadratic(String spec) {
        double err = minimiseQuadratic(spec, 2000);
        assertTrue(err < 0.02, spec + " ended " + err + " from the minimum");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd(lr=0.05, momentum=0.9, nesterov=true)", "adam(lr=0.01)", "adamw(lr=0.01)",
            "rmsprop(momentum=0.3)"})
    void stateRoundTripGivesIdenticalSteps(String spec) {
        Optimizer a = Optimizers.create(spec);
        Parameter w = param("d", ParameterRole.WEIGHT, 1f, -2f, 3f);
        Parameter b = param("d", ParameterRole.BIAS, 0.5f);
        for (int s = 0; s < 3; s++) {
            setGrad(w, 0.1f * s + 0.3f, -0.2f, 1f - s);
            setGrad(b, 0.7f - s);
            a.step(List.of(w, b), ctx(a, s));
        }
        Map<String, Tensor> saved = a.state();
        Optimizer restored = Optimizers.create(spec);
        restored.loadState(saved);
        Parameter w2 = param("d", ParameterRole.WEIGHT, w.value().data().clone());
        Parameter b2 = param("d", ParameterRole.BIAS, b.value().data().clone());
        for (int s = 3; s < 6; s++) {
            setGrad(w, 0.2f * s, 0.4f, -1f);
            setGrad(b, s);
            setGrad(w2, 0.2f * s, 0.4f, -1f);
            setGrad(b2, s);
            a.step(List.of(w, b), ctx(a, s));
            restored.step(List.of(w2, b2), ctx(restored, s));
        }
        assertArrayEquals(w.value().data(), w2.value().data());
        assertArrayEquals(b.value().data(), b2.value().data());
        assertEquals(a.state().keySet(), restored.state().keySet());
    }

    @Test
    void stateIsACopyAndLoadStateValidatesKeys() {
        Optimizer o = Optimizers.create("adam");
        Parameter w = param("d", ParameterRole.WEIGHT, 1f);
        setGrad(w, 1f);
        o.step(List.of(w), ctx(o, 0));
        Map<String, Tensor> s = o.state();
        assertEquals(java.util.Set.of("#step", "d.weight#m", "d.weight#v"), s.keySet());
        s.get("d.weight#m").fill(123f);
        assertNotSame(s.get("d.weight#m"), o.state().get("d.weight#m"));
        assertEquals(0.1f, o.state().get("d.weight#m").get(0), 1e-7f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> o.loadState(Map.of("d.weight#velocity", Tensor.zeros(1))));
        assertTrue(e.getMessage().contains("velocity") && e.getMessage().contains("[m, v, step]"), e.getMessage());
        o.loadState(Map.of("d.weight#m", Tensor.zeros(2)));
        assertThrows(dev.regula.api.ShapeMismatchException.class, () -> o.step(List.of(w), ctx(o, 1)));
        o.loadState(Map.of());
        o.step(List.of(w), ctx(o, 0));
        assertEquals(1f, o.state().get("#step").get(0), "an empty state starts over");
    }

    @Test
    void learningRateIsASchedule() {
        Optimizer o = Optimizers.create("sgd(lr=linear(from=0, to=1, steps=10))");
        assertEquals(0.5, o.learningRate().valueAt(5, 0), 1e-12);
        Parameter p = param("d", ParameterRole.WEIGHT, 0f);
        setGrad(p, 1f);
        o.step(List.of(p), ctx(o, 5));
        assertEquals(-0.5f, p.value().get(0), 1e-7f);
        assertThrows(SpecException.class, () -> Optimizers.create("adam(lr=-1)"));
        assertThrows(SpecException.class, () -> Optimizers.create("adam(beta1=1)"));
        assertThrows(SpecException.class, () -> Optimizers.create("rmsprop(eps=0)"));
        SpecException e = assertThrows(SpecException.class, () -> Optimizers.create("adam(betta1=0.5)"));
        assertTrue(e.getMessage().contains("beta1"), e.getMessage());
    }

    @Test
    void onlyAdamwImpliesDecay() {
        assertEquals(List.of(), Optimizers.create("adam").impliedRegularizers());
        assertEquals(List.of(), Optimizers.create("sgd").impliedRegularizers());
        assertEquals(List.of(), Optimizers.create("rmsprop").impliedRegularizers());
        assertEquals(1, Optimizers.create("adamw").impliedRegularizers().size());
    }

    @Test
    void adamwDecayIsDecoupledAndNeverTouchesBiases() {
        Optimizer o = Optimizers.create("adamw(lr=0.1, weight_decay=0.5)");
        ParameterRegularizer decay = o.impliedRegularizers().get(0);
        assertEquals(Stage.DECOUPLED, decay.stage());
        Parameter w = param("d", ParameterRole.WEIGHT, 2f, -4f);
        Parameter b = param("d", ParameterRole.BIAS, 2f, -4f);
        Parameter n = new Parameter("bn", "scale", ParameterRole.NORM_SCALE, Tensor.of(new float[] {2f}, 1));
        assertTrue(decay.selector().test(w));
        assertTrue(!decay.selector().test(b) && !decay.selector().test(n));
        StepContext c = ctx(o, 0);
        decay.apply(w, c);
        decay.apply(b, c);
        decay.apply(n, c);
        // θ ← θ − η·λ·θ = θ·(1 − 0.1·0.5)
        assertArrayEquals(new float[] {1.9f, -3.8f}, w.value().data(), 1e-6f);
        assertArrayEquals(new float[] {2f, -4f}, b.value().data());
        assertArrayEquals(new float[] {2f}, n.value().data());
        assertEquals(0, decay.penalty(w, c));
        assertTrue(decay.spec().contains("0.5"), decay.spec());

        // the update itself is plain Adam: with zero gradients nothing moves
        w.zeroGrad();
        o.step(List.of(w), c);
        assertArrayEquals(new float[] {1.9f, -3.8f}, w.value().data(), 1e-6f);
    }

    @Test
    void adamwDecayFollowsItsSchedule() {
        Optimizer o = Optimizers.create("adamw(lr=1, weight_decay=linear(from=0, to=0.2, steps=2))");
        ParameterRegularizer decay = o.impliedRegularizers().get(0);
        Parameter w = param("d", ParameterRole.WEIGHT, 1f);
        decay.apply(w, ctx(o, 0));
        assertEquals(1f, w.value().get(0));
        decay.apply(w, ctx(o, 1));
        assertEquals(0.9f, w.value().get(0), 1e-7f);
    }
}
