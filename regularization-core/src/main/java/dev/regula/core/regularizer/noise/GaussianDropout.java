package dev.regula.core.regularizer.noise;

import dev.regula.api.StepContext;
import dev.regula.api.kernels.CounterRng;
import dev.regula.api.schedule.Schedule;
import dev.regula.api.spec.SpecArguments;
import dev.regula.api.tensor.Tensor;

/**
 * Gaussian dropout (Srivastava et al. 2014, as in Keras): y = x·m with m ~ N(1, p/(1 − p)), the
 * same mean and variance as the factor of inverted dropout with drop probability p.
 */
final class GaussianDropout extends NoiseRegularizer {
    private final Schedule p;

    GaussianDropout(SpecArguments a) {
        super("gaussian-dropout", a);
        this.p = a.schedule("p");
    }

    @Override
    void draw(String layer, Tensor x, float[] y, float[] factor, long key, StepContext ctx) {
        double rate = DropProbability.check(name(), layer, at(p, ctx));
        double sigma = Math.sqrt(rate / (1 - rate));
        float[] in = x.data();
        for (int i = 0; i < in.length; i++) {
            float m = (float) (1 + sigma * CounterRng.gaussian(key, i));
            factor[i] = m;
            y[i] = in[i] * m;
        }
    }
}
