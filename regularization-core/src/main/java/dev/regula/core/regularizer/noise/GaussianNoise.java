package dev.regula.core.regularizer.noise;

import dev.regula.api.StepContext;
import dev.regula.api.kernels.CounterRng;
import dev.regula.api.schedule.Schedule;
import dev.regula.api.spec.SpecArguments;
import dev.regula.api.tensor.Tensor;
import java.util.Arrays;

/** Additive Gaussian noise: y = x + stddev·ε, ε ~ N(0, 1); the gradient passes unchanged. */
final class GaussianNoise extends NoiseRegularizer {
    private final Schedule stddev;

    GaussianNoise(SpecArguments a) {
        super("gaussian-noise", a);
        this.stddev = a.schedule("stddev");
    }

    @Override
    void draw(String layer, Tensor x, float[] y, float[] factor, long key, StepContext ctx) {
        double s = at(stddev, ctx);
        if (!(s >= 0) || Double.isInfinite(s)) {
            throw new dev.regula.api.spec.SpecException(name() + " at '" + layer + "': stddev=" + s + " is out of range; allowed: [0, +inf)");
        }
        float[] in = x.data();
        Arrays.fill(factor, 0, in.length, 1f);
        for (int i = 0; i < in.length; i++) y[i] = in[i] + (float) (s * CounterRng.gaussian(key, i));
    }
}
