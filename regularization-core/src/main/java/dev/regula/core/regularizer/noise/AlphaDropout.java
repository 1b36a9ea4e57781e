package dev.regula.core.regularizer.noise;

import dev.regula.api.StepContext;
import dev.regula.api.kernels.CounterRng;
import dev.regula.api.schedule.Schedule;
import dev.regula.api.spec.SpecArguments;
import dev.regula.api.tensor.Tensor;

/**
 * Alpha dropout for self-normalising networks (Klambauer et al. 2017, formula as in Keras):
 * dropped units are set to SELU's negative saturation α' = −λ_selu·α_selu instead of 0, then an
 * affine correction y = a·x̃ + b restores mean 0 and variance 1 of inputs that had them, with
 * a = ((1 − p)(1 + p·α'²))^(−1/2) and b = −a·α'·p. Hence ∂y/∂x = a for kept units, 0 for dropped.
 * Element i is dropped when {@code CounterRng.uniform(key, i) < p}.
 */
final class AlphaDropout extends NoiseRegularizer {
    /** SELU's α. */
    static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    /** SELU's scale λ. */
    static final double SELU_SCALE = 1.0507009873554804934193349852946;
    /** Negative saturation value of SELU, α' = −λ·α. */
    static final double ALPHA_PRIME = -SELU_ALPHA * SELU_SCALE;

    private final Schedule p;

    AlphaDropout(SpecArguments a) {
        super("alpha-dropout", a);
        this.p = a.schedule("p");
    }

    @Override
    void draw(String layer, Tensor x, float[] y, float[] factor, long key, StepContext ctx) {
        double rate = DropProbability.check(name(), layer, at(p, ctx));
        double a = 1 / Math.sqrt((1 - rate) * (1 + rate * ALPHA_PRIME * ALPHA_PRIME));
        double b = -a * ALPHA_PRIME * rate;
        float af = (float) a;
        float bf = (float) b;
        float dropped = (float) (a * ALPHA_PRIME + b);
        float[] in = x.data();
        float pf = (float) rate;
        for (int i = 0; i < in.length; i++) {
            boolean keep = !(CounterRng.uniform(key, i) < pf);
            factor[i] = keep ? af : 0f;
            y[i] = keep ? af * in[i] + bf : dropped;
        }
    }
}
