package dev.regula.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.Mode;
import dev.regula.api.StepContext;
import dev.regula.api.optim.Optimizer;
import dev.regula.api.optim.Optimizers;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.regularizer.Regularizer;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.kernels.ScalarKernels;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One (or two) full pipeline steps with decoupled decay against a hand computation in double of
 * Loshchilov &amp; Hutter's / PyTorch's formula θ_t = θ_{t−1} − η·u_t − η·λ·θ_{t−1}, for every
 * built-in optimizer the decay combines with. Each case also checks that the post-update form
 * (θ_{t−1} − η·u_t)(1 − η·λ) is further away than the tolerance, so the test tells them apart.
 */
class DecoupledDecayStepTest {
    private static final float[] W0 = {0.8f, -1.5f, 2.0f, -0.25f};
    private static final float[] G1 = {0.3f, -0.7f, 0.05f, 1.2f};
    private static final float[] G2 = {-0.2f, 0.4f, 0.9f, -0.6f};
    private static final float[] B0 = {0.5f};

    private record Run(float[] weight, float[] bias) {
    }

    /** Runs the pipeline for as many steps as gradients are given (same gradient for the bias: 1). */
    private static Run run(String optimizer, String regularizer, float[]... grads) {
        Optimizer o = Optimizers.create(optimizer);
        List<Regularizer> regs = regularizer == null ? List.of() : List.of(Regularizers.create(regularizer));
        Parameter w = new Parameter("dense1", "weight", ParameterRole.WEIGHT, Tensor.of(W0.clone(), W0.length));
        Parameter b = new Parameter("dense1", "bias", ParameterRole.BIAS, Tensor.of(B0.clone(), 1));
        RegularizationPipeline pipeline = new RegularizationPipeline(List.of(w, b), regs, o, true);
        for (int s = 0; s < grads.length; s++) {
            w.grad().copyFrom(Tensor.of(grads[s].clone(), W0.length));
            b.grad().copyFrom(Tensor.of(new float[] {1f}, 1));
            StepContext ctx = new StepContext(Mode.TRAIN, s, 0, o.learningRate().valueAt(s, 0), 7L, new ScalarKernels());
            pipeline.update(ctx);
        }
        return new Run(w.value().data().clone(), b.value().data().clone());
    }

    private static void assertClose(double[] expected, float[] actual, double[] postUpdateForm) {
        boolean distinguishable = false;
        for (int i = 0; i < expected.length; i++) {
            double tol = 4 * Math.ulp((float) expected[i]);
            assertEquals(expected[i], actual[i], tol, "element " + i);
            distinguishable |= Math.abs(postUpdateForm[i] - actual[i]) > 10 * tol;
        }
        assertTrue(distinguishable, "the case must tell pre-update from post-update decay apart");
    }

    /** PyTorch AdamW, first step: θ ← θ(1 − ηλ); then θ ← θ − η·m̂/(√v̂ + ε). */
    @Test
    void adamwMatchesPyTorchAdamWOnOneStep() {
        double lr = 1e-2, lambda = 1, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        Run r = run("adamw(lr=1e-2, weight_decay=1)", null, G1);
        double[] pre = new double[W0.length];
        double[] post = new double[W0.length];
        for (int i = 0; i < W0.length; i++) {
            double m = (1 - b1) * G1[i] / (1 - b1);
            double v = (1 - b2) * G1[i] * G1[i] / (1 - b2);
            double u = m / (Math.sqrt(v) + eps);
            pre[i] = W0[i] - lr * u - lr * lambda * W0[i];
            post[i] = (W0[i] - lr * u) * (1 - lr * lambda);
        }
        assertClose(pre, r.weight, post);
        // adamw decays weights only: the bias moves by the Adam step alone
        assertEquals(B0[0] - lr * 1 / (1 + eps), r.bias[0], 1e-6);
    }

    @Test
    void weightDecayWithPlainSgd() {
        double lr = 0.1, lambda = 0.5;
        Run r = run("sgd(lr=0.1)", "weight-decay(lambda=0.5)", G1);
        double[] pre = new double[W0.length];
        double[] post = new double[W0.length];
        for (int i = 0; i < W0.length; i++) {
            pre[i] = W0[i] - lr * G1[i] - lr * lambda * W0[i];
            post[i] = (W0[i] - lr * G1[i]) * (1 - lr * lambda);
        }
        assertClose(pre, r.weight, post);
    }

    /** Two steps, so the velocity carries the first gradient: v₂ = μ·g₁ + g₂. */
    @Test
    void weightDecayWithSgdMomentumOverTwoSteps() {
        double lr = 0.1, lambda = 0.5, mu = 0.9;
        Run r = run("sgd(lr=0.1, momentum=0.9)", "weight-decay(lambda=0.5)", G1, G2);
        double[] pre = new double[W0.length];
        double[] post = new double[W0.length];
        for (int i = 0; i < W0.length; i++) {
            double v1 = G1[i];
            double v2 = mu * v1 + G2[i];
            double a1 = W0[i] - lr * v1 - lr * lambda * W0[i];
            pre[i] = a1 - lr * v2 - lr * lambda * a1;
            double p1 = (W0[i] - lr * v1) * (1 - lr * lambda);
            post[i] = (p1 - lr * v2) * (1 - lr * lambda);
        }
        assertClose(pre, r.weight, post);
    }

    @Test
    void weightDecayWithAdamEqualsAdamw() {
        Run viaRegularizer = run("adam(lr=1e-2)", "weight-decay(lambda=1)", G1, G2);
        Run viaOptimizer = run("adamw(lr=1e-2, weight_decay=1)", null, G1, G2);
        assertArrayEquals(viaOptimizer.weight, viaRegularizer.weight);
    }

    @Test
    void weightDecayWithRmsProp() {
        double lr = 1e-2, lambda = 1, alpha = 0.99, eps = 1e-8;
        Run r = run("rmsprop(lr=1e-2)", "weight-decay(lambda=1)", G1);
        double[] pre = new double[W0.length];
        double[] post = new double[W0.length];
        for (int i = 0; i < W0.length; i++) {
            double s = (1 - alpha) * G1[i] * G1[i];
            double u = G1[i] / (Math.sqrt(s) + eps);
            pre[i] = W0[i] - lr * u - lr * lambda * W0[i];
            post[i] = (W0[i] - lr * u) * (1 - lr * lambda);
        }
        assertClose(pre, r.weight, post);
    }

    /** Coupled L2 reads θ_{t−1} too: g + λ₂·θ_{t−1}, not the decayed θ (no folding with a decoupled decay). */
    @Test
    void coupledL2AndDecoupledDecayBothReadThePreviousWeights() {
        double lr = 0.1, lambda = 0.5, l2 = 0.3;
        Run r = run("sgd(lr=0.1)", null, G1);
        Optimizer o = Optimizers.create("sgd(lr=0.1)");
        Parameter w = new Parameter("dense1", "weight", ParameterRole.WEIGHT, Tensor.of(W0.clone(), W0.length));
        RegularizationPipeline pipeline = new RegularizationPipeline(List.of(w),
                List.of(Regularizers.create("l2(lambda=0.3)"), Regularizers.create("weight-decay(lambda=0.5)")), o, true);
        w.grad().copyFrom(Tensor.of(G1.clone(), W0.length));
        pipeline.update(new StepContext(Mode.TRAIN, 0, 0, lr, 7L, new ScalarKernels()));
        double[] pre = new double[W0.length];
        double[] decayedFirst = new double[W0.length];
        for (int i = 0; i < W0.length; i++) {
            pre[i] = W0[i] - lr * (G1[i] + l2 * W0[i]) - lr * lambda * W0[i];
            double shrunk = W0[i] * (1 - lr * lambda);
            decayedFirst[i] = shrunk - lr * (G1[i] + l2 * shrunk);
        }
        assertClose(pre, w.value().data(), decayedFirst);
        assertEquals(W0[0] - lr * G1[0], r.weight[0], 1e-7);
    }
}
