package dev.regula.gan.train;

import dev.regula.api.StepContext;
import dev.regula.api.kernels.Kernels;
import dev.regula.api.param.Parameter;
import dev.regula.api.tensor.Tensor;
import java.util.List;

/**
 * The R1 gradient penalty on a discriminator (Mescheder, Geiger &amp; Nowozin 2018),
 * R1 = γ/2 · (1/N) Σ_n ‖∇ₓD(x_n, c_n)‖² on real images, without double backpropagation.
 *
 * <p>Its parameter gradient is (γ/N)·Σ_n (∂g_n/∂θ)ᵀ g_n with g_n = ∇ₓD(x_n, c_n): a Hessian-vector
 * product, which equals the derivative of ∇_θ Σ_n D(x_n + ε·g_n) at ε = 0 (g held fixed). It is
 * computed by a central difference of two ordinary backward passes,
 * (∇_θ ΣD(x + εg) − ∇_θ ΣD(x − εg)) / (2ε), with ε = {@value #STEP}/rms(g) so that every pixel moves
 * by about {@value #STEP}: exact where D is linear between the two points (a LeakyReLU network is,
 * except across the kinks the step crosses), O(ε²) otherwise. With a minibatch standard-deviation
 * layer in D an example's score also depends on its group; g is then the gradient of the batch's
 * summed score, which is what the penalty is taken of (as in StyleGAN2's R1).
 */
final class R1Penalty {
    /** The RMS pixel displacement of the finite difference. */
    static final double STEP = 1e-2;

    private R1Penalty() {
    }

    /**
     * Overwrites D's parameter gradients with weight·∇_θ(R1/γ)·γ, i.e. the gradient of
     * {@code weight}/2 · mean‖∇ₓD‖² (pass γ·k for the lazy penalty applied every k steps).
     *
     * @param d the discriminator
     * @param real real images [N, 3, S, S]
     * @param condition their conditions (ignored by an unconditional D)
     * @param weight the factor in front of ½·mean‖∇ₓD‖², ≥ 0
     * @param ctx the step (TRAIN); its kernels are used
     * @return weight/2 · mean‖∇ₓD‖² at the real images
     */
    static double writeGradient(ProjectionDiscriminator d, Tensor real, Tensor condition, double weight, StepContext ctx) {
        int n = real.dim(0);
        Kernels k = ctx.kernels();
        List<Parameter> params = d.parameters();
        Tensor g = inputGradient(d, real, condition, ctx);
        for (Parameter p : params) p.zeroGrad();
        float[] gd = g.data();
        double sq = 0;
        for (float v : gd) sq += (double) v * v;
        double value = 0.5 * weight * sq / n;
        double rms = Math.sqrt(sq / gd.length);
        if (!(rms > 0) || !Double.isFinite(rms)) return value;
        float eps = (float) (STEP / rms);
        Tensor plus = real.copy();
        k.axpy(gd.length, eps, gd, 0, plus.data(), 0);
        d.forward(plus, condition, ctx);
        d.backwardParameters(Tensor.zeros(n, 1).fill(1f), ctx);
        Tensor minus = real.copy();
        k.axpy(gd.length, -eps, gd, 0, minus.data(), 0);
        d.forward(minus, condition, ctx);
        d.backwardParameters(Tensor.zeros(n, 1).fill(-1f), ctx);
        float scale = (float) (weight / (n * 2.0 * eps));
        for (Parameter p : params) k.scale(p.size(), scale, p.grad().data(), 0);
        return value;
    }

    /**
     * @return ∇ₓ Σ_n D(x_n, c_n), one row per image (a new tensor); D's parameter gradients are
     *     unspecified afterwards
     */
    static Tensor inputGradient(ProjectionDiscriminator d, Tensor real, Tensor condition, StepContext ctx) {
        d.forward(real, condition, ctx);
        return d.backwardInput(Tensor.zeros(real.dim(0), 1).fill(1f), ctx).copy();
    }
}
