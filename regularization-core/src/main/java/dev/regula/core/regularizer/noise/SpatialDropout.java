package dev.regula.core.regularizer.noise;

import dev.regula.api.UnsupportedShapeException;
import dev.regula.api.StepContext;
import dev.regula.api.kernels.CounterRng;
import dev.regula.api.schedule.Schedule;
import dev.regula.api.spec.SpecArguments;
import dev.regula.api.tensor.Tensor;
import java.util.Arrays;

/**
 * Spatial dropout (Tompson et al. 2015; Keras {@code SpatialDropout2D}): drops whole channels of
 * inputs shaped [batch, channels, ...] (rank ≥ 3, channels first), scaling kept channels by
 * 1/(1 − p). Channel c of example b is dropped when {@code CounterRng.uniform(key, b·C + c) < p}.
 * Rank-2 inputs [batch, features] are rejected with a {@link UnsupportedShapeException}: there every
 * "channel" is a single feature, which is plain {@code dropout}.
 */
final class SpatialDropout extends NoiseRegularizer {
    private final Schedule p;

    SpatialDropout(SpecArguments a) {
        super("spatial-dropout", a);
        this.p = a.schedule("p");
    }

    @Override
    void draw(String layer, Tensor x, float[] y, float[] factor, long key, StepContext ctx) {
        if (x.rank() < 3) {
            throw new UnsupportedShapeException("spatial-dropout layer '" + layer + "' needs inputs [batch, channels, ...] of rank >= 3, got "
                    + Arrays.toString(x.shape()) + "; use dropout for [batch, features] inputs");
        }
        float rate = DropProbability.check(name(), layer, at(p, ctx));
        float keep = 1f / (1f - rate);
        int batch = x.dim(0);
        int channels = x.dim(1);
        int inner = channels == 0 || batch == 0 ? 0 : x.size() / (batch * channels);
        float[] in = x.data();
        for (int bc = 0; bc < batch * channels; bc++) {
            float f = CounterRng.uniform(key, bc) < rate ? 0f : keep;
            int off = bc * inner;
            for (int i = off; i < off + inner; i++) {
                factor[i] = f;
                y[i] = in[i] * f;
            }
        }
    }
}
