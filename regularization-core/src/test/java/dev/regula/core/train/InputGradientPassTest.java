package dev.regula.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.regularizer.InputGradientRegularizer;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.data.Dataset;
import dev.regula.core.layer.Dense;
import dev.regula.core.layer.Sequential;
import dev.regula.core.layer.Tanh;
import dev.regula.core.loss.SoftmaxCrossEntropy;
import dev.regula.core.testing.GradientCheck;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The input-gradient penalty's finite-difference pass against central differences of R(θ). */
class InputGradientPassTest {
    private static final StepContext CTX = GradientCheck.train();
    private static final SoftmaxCrossEntropy CE = new SoftmaxCrossEntropy();
    private static final double LAMBDA = 5;

    private static InputGradientRegularizer penalty(double lambda, double step) {
        return new InputGradientRegularizer() {
            @Override
            public double strength(StepContext ctx) {
                return lambda;
            }

            @Override
            public double step() {
                return step;
            }

            @Override
            public String name() {
                return "input-gradient";
            }

            @Override
            public String spec() {
                return "input-gradient(lambda=" + lambda + ")";
            }
        };
    }

    private static Sequential net() {
        return new Sequential("net", new int[] {3}, new Dense("d1", 3, 5, 1), new Tanh("t1"), new Dense("out", 5, 3, 2));
    }

    /** R(θ) = λ/2·B·‖∇ₓL‖², from a full backward. */
    private static double penaltyAt(Sequential m, Tensor x, Tensor y) {
        for (Parameter p : m.parameters()) p.zeroGrad();
        Tensor out = m.forward(x, CTX);
        Tensor g = Tensor.zeros(out.shape());
        CE.compute(out, y, g, CTX.kernels());
        double n2 = 0;
        for (float v : m.backward(g, CTX).data()) n2 += (double) v * v;
        return 0.5 * LAMBDA * x.dim(0) * n2;
    }

    private static float[][] grads(Sequential m) {
        return m.parameters().stream().map(p -> p.grad().data().clone()).toArray(float[][]::new);
    }

    @Test
    void addedGradientMatchesCentralDifferencesOfThePenalty() {
        Sequential m = net();
        Tensor x = GradientCheck.random(3, 1.5f, 4, 3);
        Tensor y = Tensor.of(new float[] {0, 2, 1, 2}, 4);
        // ∇θL alone
        for (Parameter p : m.parameters()) p.zeroGrad();
        Tensor out = m.forward(x, CTX);
        Tensor g = Tensor.zeros(out.shape());
        CE.compute(out, y, g, CTX.kernels());
        dev.regula.core.layer.ParameterBackward.backwardParametersOf(m, g, CTX);
        float[][] plain = grads(m);
        // ∇θL + ∇θR by the pass
        for (Parameter p : m.parameters()) p.zeroGrad();
        out = m.forward(x, CTX);
        g = Tensor.zeros(out.shape());
        CE.compute(out, y, g, CTX.kernels());
        double r = InputGradientPass.run(penalty(LAMBDA, 1e-3), m, m.parameters(), x, g,
                (o, go) -> CE.compute(o, y, go, CTX.kernels()), CTX);
        float[][] total = grads(m);
        assertEquals(penaltyAt(m, x, y), r, 1e-9 + 1e-6 * r);
        double eps = 1e-2;
        for (int k = 0; k < total.length; k++) {
            float[] v = m.parameters().get(k).value().data();
            for (int i = 0; i < v.length; i++) {
                float old = v[i];
                v[i] = (float) (old + eps);
                double plus = penaltyAt(m, x, y);
                v[i] = (float) (old - eps);
                double minus = penaltyAt(m, x, y);
                v[i] = old;
                double numeric = (plus - minus) / (2 * eps);
                double analytic = total[k][i] - plain[k][i];
                assertEquals(numeric, analytic, 3e-3 + 3e-2 * Math.abs(numeric),
                        m.parameters().get(k).name() + "[" + i + "]");
            }
        }
    }

    @Test
    void zeroStrengthGivesThePlainGradient() {
        Sequential m = net();
        Tensor x = GradientCheck.random(5, 1f, 4, 3);
        Tensor y = Tensor.of(new float[] {0, 1, 1, 2}, 4);
        for (Parameter p : m.parameters()) p.zeroGrad();
        Tensor out = m.forward(x, CTX);
        Tensor g = Tensor.zeros(out.shape());
        CE.compute(out, y, g, CTX.kernels());
        dev.regula.core.layer.ParameterBackward.backwardParametersOf(m, g, CTX);
        float[][] plain = grads(m);
        for (Parameter p : m.parameters()) p.zeroGrad();
        out = m.forward(x, CTX);
        g = Tensor.zeros(out.shape());
        CE.compute(out, y, g, CTX.kernels());
        InputGradientPass.run(penalty(0, 1e-2), m, m.parameters(), x, g, (o, go) -> CE.compute(o, y, go, CTX.kernels()), CTX);
        assertArrayEquals(plain, grads(m));
    }

    @Test
    void trainerRunsItAndReportsThePenalty() {
        Dataset train = TrainerTest.blobs(120, 1);
        Trainer plain = new Trainer(TrainerTest.mlp(3), TrainerTest.config().epochs(2).build());
        plain.fit(train, null);
        Trainer zero = new Trainer(TrainerTest.mlp(3), TrainerTest.config().epochs(2).regularizer("input-gradient(lambda=0)").build());
        zero.fit(train, null);
        assertArrayEquals(TrainerTest.values(plain.model()).toArray(), TrainerTest.values(zero.model()).toArray());
        Trainer t = new Trainer(TrainerTest.mlp(3), TrainerTest.config().epochs(2).regularizer("input-gradient(lambda=1)").build());
        List<EpochMetrics> m = t.fit(train, null);
        assertFalse(Arrays.deepEquals(TrainerTest.values(plain.model()).toArray(), TrainerTest.values(t.model()).toArray()));
        double reported = m.getLast().penalties().values().iterator().next();
        assertTrue(reported > 0, "penalty reported: " + m.getLast().penalties());
        assertTrue(t.evaluate(TrainerTest.blobs(60, 2)).accuracy() > 0.8);
    }
}
