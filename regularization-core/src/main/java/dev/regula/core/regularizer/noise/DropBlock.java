package dev.regula.core.regularizer.noise;

import dev.regula.api.UnsupportedShapeException;
import dev.regula.api.StepContext;
import dev.regula.api.kernels.CounterRng;
import dev.regula.api.schedule.Schedule;
import dev.regula.api.spec.SpecArguments;
import dev.regula.api.tensor.Tensor;
import java.util.Arrays;

/**
 * DropBlock (Ghiasi, Lin &amp; Le, NeurIPS 2018): drops contiguous block×block squares of each
 * channel of [batch, channels, height, width] activations, in TRAIN mode only.
 *
 * <p>With b = min(block, H, W) (the block is clamped to the feature map, as timm does), seeds are
 * sampled independently per (example, channel, position) among the (H − b + 1)(W − b + 1)
 * top-left corners whose square fits in the map (the paper's valid region), each with
 * probability γ = p / b² · (H·W) / ((H − b + 1)(W − b + 1)); seed (n, c, i, j) is set when
 * {@code CounterRng.uniform(key, ((n·C + c)·H + i)·W + j) < γ}. Every unit covered by the b×b
 * square at a seed is zeroed, and the kept units are scaled by count/ones over the whole batch
 * tensor (the paper's normalisation), so the expected activation is unchanged; when every unit is
 * dropped the output is zero. Overlapping squares make the dropped fraction a little below p for
 * b &gt; 1 (0.0955 expected for p = 0.1, b = 3 on a 40×40 map). At p = 0 the layer is the identity
 * bit for bit.
 * Inputs of another rank are rejected with a {@link UnsupportedShapeException}.
 */
final class DropBlock extends NoiseRegularizer {
    private final Schedule p;
    private final int block;

    DropBlock(SpecArguments a) {
        super("drop-block", a);
        this.p = a.schedule("p");
        this.block = Math.toIntExact(a.integer("block"));
    }

    @Override
    void draw(String layer, Tensor x, float[] y, float[] factor, long key, StepContext ctx) {
        if (x.rank() != 4) {
            throw new UnsupportedShapeException("drop-block layer '" + layer + "' needs inputs [batch, channels, height, width] of rank 4, got "
                    + Arrays.toString(x.shape()) + "; insert it after convolution activations only (after=<glob>), "
                    + "use dropout for [batch, features] inputs");
        }
        float rate = DropProbability.check(name(), layer, at(p, ctx));
        int planes = x.dim(0) * x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        int b = Math.min(block, Math.min(h, w));
        float[] in = x.data();
        Arrays.fill(factor, 1f);
        int n = x.size();
        if (n == 0) return;
        int vh = h - b + 1;
        int vw = w - b + 1;
        double gamma = rate / ((double) b * b) * ((double) h * w) / ((double) vh * vw);
        for (int pc = 0; pc < planes; pc++) {
            int off = pc * h * w;
            for (int i = 0; i < vh; i++) {
                for (int j = 0; j < vw; j++) {
                    if (CounterRng.uniform(key, off + (long) i * w + j) < gamma) {
                        for (int di = 0; di < b; di++) {
                            Arrays.fill(factor, off + (i + di) * w + j, off + (i + di) * w + j + b, 0f);
                        }
                    }
                }
            }
        }
        int ones = 0;
        for (float f : factor) if (f != 0f) ones++;
        float scale = ones == 0 ? 0f : (float) ((double) n / ones);
        for (int i = 0; i < n; i++) {
            float f = factor[i] == 0f ? 0f : scale;
            factor[i] = f;
            y[i] = in[i] * f;
        }
    }
}
