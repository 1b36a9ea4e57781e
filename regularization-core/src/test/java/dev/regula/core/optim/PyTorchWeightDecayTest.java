package dev.regula.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.Mode;
import dev.regula.api.StepContext;
import dev.regula.api.optim.Optimizer;
import dev.regula.api.optim.Optimizers;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.regularizer.CoupledDecay;
import dev.regula.api.regularizer.Regularizer;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.kernels.ScalarKernels;
import dev.regula.core.testing.GradientCheck;
import dev.regula.core.train.RegularizationPipeline;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The optimizers' {@code weight_decay} with PyTorch's coupled meaning, against hand computations of torch.optim's formulas. */
class PyTorchWeightDecayTest {
    private static final float[] W = {0.8f, -1.5f};
    private static final float[] GW = {0.3f, -0.7f};
    private static final float B = 0.5f;
    private static final float GB = 0.2f;

    private record Step(float[] weight, float bias) {
    }

    private static Step step(String optimizer, List<Regularizer> regs) {
        Optimizer o = Optimizers.create(optimizer);
        Parameter w = new Parameter("fc", "weight", ParameterRole.WEIGHT, Tensor.of(W.clone(), 2));
        Parameter b = new Parameter("fc", "bias", ParameterRole.BIAS, Tensor.of(new float[] {B}, 1));
        w.grad().copyFrom(Tensor.of(GW.clone(), 2));
        b.grad().copyFrom(Tensor.of(new float[] {GB}, 1));
        new RegularizationPipeline(List.of(w, b), regs, o, true)
                .update(new StepContext(Mode.TRAIN, 0, 0, o.learningRate().valueAt(0, 0), 1L, new ScalarKernels()));
        return new Step(w.value().data().clone(), b.value().get(0));
    }

    /** torch.optim.SGD(params, lr=0.1, weight_decay=0.01): d_p = g + wd·p; p -= lr·d_p, biases included. */
    @Test
    void sgdWeightDecayIsCoupledAndDecaysBiasesToo() {
        Step s = step("sgd(lr=0.1, weight_decay=0.01)", List.of());
        for (int i = 0; i < W.length; i++) assertEquals(W[i] - 0.1 * (GW[i] + 0.01 * W[i]), s.weight[i], 1e-7);
        assertEquals(B - 0.1 * (GB + 0.01 * B), s.bias, 1e-7);
    }

    /** Parameter groups [{weights, weight_decay=0.01}, {biases, weight_decay=0}] are decay_on=weights. */
    @Test
    void decayOnPlaysTheRoleOfParameterGroups() {
        Step s = step("sgd(lr=0.1, weight_decay=0.01, decay_on=weights)", List.of());
        assertEquals(W[0] - 0.1 * (GW[0] + 0.01 * W[0]), s.weight[0], 1e-7);
        assertEquals(B - 0.1 * GB, s.bias, 1e-7);
    }

    /** torch.optim.Adam(weight_decay=wd): g ← g + wd·p goes into the moments (not AdamW). */
    @Test
    void adamWeightDecayGoesThroughTheMoments() {
        double lr = 0.01, wd = 0.5, eps = 1e-8;
        Step s = step("adam(lr=0.01, weight_decay=0.5)", List.of());
        for (int i = 0; i < W.length; i++) {
            double g = GW[i] + wd * W[i];
            double mHat = g;                 // (1−β1)·g / (1−β1)
            double vHat = g * g;             // (1−β2)·g² / (1−β2)
            assertEquals(W[i] - lr * mHat / (Math.sqrt(vHat) + eps), s.weight[i], 4 * Math.ulp(W[i]));
        }
        // the same as Regula's l2 on every parameter
        Step viaL2 = step("adam(lr=0.01)", List.of(Regularizers.create("l2(lambda=0.5, on=all)")));
        assertArrayEquals(viaL2.weight, s.weight);
        assertEquals(viaL2.bias, s.bias);
    }

    @Test
    void rmspropWeightDecayIsCoupled() {
        double lr = 0.01, wd = 0.5, alpha = 0.99, eps = 1e-8;
        Step s = step("rmsprop(lr=0.01, weight_decay=0.5)", List.of());
        double g = GB + wd * B;
        assertEquals(B - lr * g / (Math.sqrt((1 - alpha) * g * g) + eps), s.bias, 4 * Math.ulp(B));
    }

    /** PyTorch AdamW decays every parameter of its group: decay_on=all. */
    @Test
    void adamwDecayOnAllDecaysBiasesAsPyTorchDoes() {
        double lr = 0.01, wd = 1, eps = 1e-8;
        Step s = step("adamw(lr=0.01, weight_decay=1, decay_on=all)", List.of());
        assertEquals(B - lr * GB / (Math.abs(GB) + eps) - lr * wd * B, s.bias, 4 * Math.ulp(B));
        Step weightsOnly = step("adamw(lr=0.01, weight_decay=1)", List.of());
        assertEquals(B - lr * GB / (Math.abs(GB) + eps), weightsOnly.bias, 4 * Math.ulp(B));
    }

    @Test
    void specsWithoutDecayAreUnchangedAndTheDecayIsReportedAsAPenalty() {
        assertEquals("sgd(lr=0.01, momentum=0, nesterov=false)", Optimizers.create("sgd").spec());
        assertEquals("adamw(lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01)", Optimizers.create("adamw").spec());
        assertEquals(List.of(), Optimizers.create("sgd(weight_decay=0)").impliedRegularizers());
        Optimizer o = Optimizers.create("sgd(lr=0.1, weight_decay=0.01)");
        assertTrue(o.spec().contains("weight_decay=0.01") && o.spec().contains("decay_on=all"), o.spec());
        CoupledDecay d = (CoupledDecay) o.impliedRegularizers().get(0);
        assertEquals("sgd-weight-decay(weight_decay=0.01, on=all)", d.spec());
        Parameter w = new Parameter("fc", "weight", ParameterRole.WEIGHT, Tensor.of(W.clone(), 2));
        assertEquals(0.5 * 0.01 * (0.64 + 2.25), d.penalty(w, GradientCheck.train()), 1e-7);
        GradientCheck.checkPenalty(d, w, GradientCheck.train());
    }
}
