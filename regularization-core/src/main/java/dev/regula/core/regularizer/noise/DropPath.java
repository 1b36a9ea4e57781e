package dev.regula.core.regularizer.noise;

import dev.regula.api.StepContext;
import dev.regula.api.kernels.CounterRng;
import dev.regula.api.schedule.Schedule;
import dev.regula.api.spec.SpecArguments;
import dev.regula.api.tensor.Tensor;

/**
 * Drop path, or stochastic depth (Huang et al. 2016; timm's {@code DropPath}, torchvision's
 * {@code StochasticDepth(mode="row")}): at the end of every residual branch, the whole branch
 * output of example b is dropped when {@code CounterRng.uniform(key, b) < p} and scaled by
 * 1/(1 − p) otherwise, so a dropped example passes through the block as the identity. By default
 * ({@code after=none}) it goes only to residual branch ends; {@code after=} a glob adds layers
 * after named layers too. Needs residual blocks (e.g. {@code mlp(residual=true)}) to do anything.
 */
final class DropPath extends NoiseRegularizer {
    private final Schedule p;

    DropPath(SpecArguments a) {
        super("drop-path", a);
        this.p = a.schedule("p");
    }

    @Override
    public boolean insertAtBranchEnd() {
        return true;
    }

    @Override
    void draw(String layer, Tensor x, float[] y, float[] factor, long key, StepContext ctx) {
        float rate = DropProbability.check(name(), layer, at(p, ctx));
        float keep = 1f / (1f - rate);
        int batch = x.rank() == 0 ? 1 : x.dim(0);
        int inner = batch == 0 ? 0 : x.size() / batch;
        float[] in = x.data();
        for (int b = 0; b < batch; b++) {
            float f = CounterRng.uniform(key, b) < rate ? 0f : keep;
            int off = b * inner;
            for (int i = off; i < off + inner; i++) {
                factor[i] = f;
                y[i] = in[i] * f;
            }
        }
    }
}
