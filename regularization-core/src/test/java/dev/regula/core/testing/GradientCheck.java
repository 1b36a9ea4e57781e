package dev.regula.core.testing;

import static org.junit.jupiter.api.Assertions.fail;

import dev.regula.api.Mode;
import dev.regula.api.StepContext;
import dev.regula.api.loss.Loss;
import dev.regula.api.model.Layer;
import dev.regula.api.param.Parameter;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.kernels.ScalarKernels;
import java.util.SplittableRandom;

/**
 * Central finite-difference gradient checks for penalties, layers and losses, in float32.
 * Tolerance: |analytic − numeric| ≤ atol + rtol·max(|analytic|, |numeric|).
 */
public final class GradientCheck {
    /** Step of the central differences. */
    public static final float EPS = 1e-2f;
    /** Relative tolerance. */
    public static final double RTOL = 2e-2;
    /** Absolute tolerance. */
    public static final double ATOL = 2e-3;

    private GradientCheck() {
    }

    /** @return a TRAIN context at step 3 with scalar kernels and learning rate 0.1 */
    public static StepContext train() {
        return new StepContext(Mode.TRAIN, 3, 1, 0.1, 42L, new ScalarKernels());
    }

    /**
     * @param seed random seed
     * @param scale values are uniform in [-scale, scale]
     * @param shape the shape
     * @return a random tensor
     */
    public static Tensor random(long seed, float scale, int... shape) {
        Tensor t = Tensor.zeros(shape);
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        return t;
    }

    /**
     * Checks that a GRADIENT-stage regularizer adds ∂penalty/∂θ to the gradient.
     *
     * @param r the regularizer
     * @param p the parameter (its value is restored)
     * @param ctx the step
     */
    public static void checkPenalty(ParameterRegularizer r, Parameter p, StepContext ctx) {
        p.zeroGrad();
        r.apply(p, ctx);
        float[] analytic = p.grad().data().clone();
        float[] v = p.value().data();
        for (int i = 0; i < v.length; i++) {
            float old = v[i];
            v[i] = old + EPS;
            double plus = r.penalty(p, ctx);
            v[i] = old - EPS;
            double minus = r.penalty(p, ctx);
            v[i] = old;
            compare(r.name() + " d/d" + p.name() + "[" + i + "]", analytic[i], (plus - minus) / (2 * EPS));
        }
        p.zeroGrad();
    }

    /**
     * Checks a layer's input and parameter gradients against central differences of
     * L = Σ upstream ⊙ forward(x).
     *
     * @param layer the layer (TRAIN mode is used; layers with randomness must be deterministic for a fixed ctx)
     * @param input the input batch
     * @param ctx the step
     */
    public static void checkLayer(Layer layer, Tensor input, StepContext ctx) {
        Tensor out = layer.forward(input, ctx);
        Tensor upstream = random(7, 1f, out.shape());
        for (Parameter p : layer.parameters()) p.zeroGrad();
        Tensor gin = layer.backward(upstream.copy(), ctx);
        float[] x = input.data();
        for (int i = 0; i < x.length; i++) {
            float old = x[i];
            x[i] = old + EPS;
            double plus = weighted(layer.forward(input, ctx), upstream);
            x[i] = old - EPS;
            double minus = weighted(layer.forward(input, ctx), upstream);
            x[i] = old;
            compare(layer.name() + " d/dinput[" + i + "]", gin.get(i), (plus - minus) / (2 * EPS));
        }
        for (Parameter p : layer.parameters()) {
            float[] g = p.grad().data().clone();
            float[] v = p.value().data();
            for (int i = 0; i < v.length; i++) {
                float old = v[i];
                v[i] = old + EPS;
                double plus = weighted(layer.forward(input, ctx), upstream);
                v[i] = old - EPS;
                double minus = weighted(layer.forward(input, ctx), upstream);
                v[i] = old;
                compare(layer.name() + " d/d" + p.name() + "[" + i + "]", g[i], (plus - minus) / (2 * EPS));
            }
        }
    }

    /**
     * Checks a loss's gradient with respect to the output.
     *
     * @param loss the loss
     * @param output the model output
     * @param target the targets
     */
    public static void checkLoss(Loss loss, Tensor output, Tensor target) {
        ScalarKernels k = new ScalarKernels();
        Tensor grad = Tensor.zeros(output.shape());
        loss.compute(output, target, grad, k);
        Tensor scratch = Tensor.zeros(output.shape());
        float[] o = output.data();
        for (int i = 0; i < o.length; i++) {
            float old = o[i];
            o[i] = old + EPS;
            double plus = loss.compute(output, target, scratch, k);
            o[i] = old - EPS;
            double minus = loss.compute(output, target, scratch, k);
            o[i] = old;
            compare(loss.name() + " d/doutput[" + i + "]", grad.get(i), (plus - minus) / (2 * EPS));
        }
    }

    private static double weighted(Tensor out, Tensor upstream) {
        double s = 0;
        for (int i = 0; i < out.size(); i++) s += (double) out.get(i) * upstream.get(i);
        return s;
    }

    private static void compare(String what, double analytic, double numeric) {
        double tol = ATOL + RTOL * Math.max(Math.abs(analytic), Math.abs(numeric));
        if (!(Math.abs(analytic - numeric) <= tol)) {
            fail(what + ": analytic " + analytic + " vs finite difference " + numeric + " (tolerance " + tol + ")");
        }
    }
}
