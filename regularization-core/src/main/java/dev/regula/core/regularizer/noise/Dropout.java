package dev.regula.core.regularizer.noise;

import dev.regula.api.StepContext;
import dev.regula.api.schedule.Schedule;
import dev.regula.api.spec.SpecArguments;
import dev.regula.api.tensor.Tensor;

/**
 * Inverted dropout (Srivastava et al. 2014): each activation is dropped with probability p and
 * the kept ones are scaled by 1/(1 − p), so E[y] = x and evaluation needs no rescaling. The mask
 * comes from {@link dev.regula.api.kernels.Kernels#dropout}: element i is dropped when
 * {@code CounterRng.uniform(key, i) < p}.
 */
final class Dropout extends NoiseRegularizer {
    private final Schedule p;

    Dropout(SpecArguments a) {
        super("dropout", a);
        this.p = a.schedule("p");
    }

    @Override
    void draw(String layer, Tensor x, float[] y, float[] factor, long key, StepContext ctx) {
        ctx.kernels().dropout(x.size(), DropProbability.check(name(), layer, at(p, ctx)), key, x.data(), y, factor);
    }
}
