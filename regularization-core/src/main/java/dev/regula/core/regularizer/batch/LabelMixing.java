package dev.regula.core.regularizer.batch;

import dev.regula.api.StepContext;
import dev.regula.api.kernels.CounterRng;
import dev.regula.api.regularizer.BatchRegularizer;
import dev.regula.api.regularizer.LabelMix;
import dev.regula.api.spec.SpecArguments;
import dev.regula.api.tensor.Tensor;

/**
 * Common part of mixup and CutMix: per step one λ ~ Beta(α, α) and one random permutation π of
 * the batch (as in the papers' code), both drawn from (seed, name, step); example i is mixed with
 * example π(i), and the labels of the mixed-in examples go to the loss with weight 1 − λ'.
 */
abstract sealed class LabelMixing implements BatchRegularizer permits Mixup, CutMix {
    private final String spec;
    private final double alpha;
    private final long stream;
    private float[] copy = new float[0];

    LabelMixing(String name, SpecArguments a) {
        this.spec = a.toSpec().toString();
        this.alpha = a.number("alpha");
        this.stream = CounterRng.stream(name);
    }

    @Override
    public final String spec() {
        return spec;
    }

    @Override
    public final boolean mixesLabels() {
        return true;
    }

    @Override
    public final LabelMix apply(Tensor features, Tensor labels, StepContext ctx) {
        int batch = features.dim(0);
        Draws d = new Draws(CounterRng.key(ctx.seed(), stream, ctx.step()));
        double lambda = d.symmetricBeta(alpha);
        int[] perm = d.permutation(batch);
        float[] x = features.data();
        if (copy.length < x.length) copy = new float[x.length];
        System.arraycopy(x, 0, copy, 0, x.length);
        double own = mix(features, copy, perm, lambda, d);
        Tensor other = Tensor.zeros(labels.shape());
        int row = labels.size() / Math.max(1, batch);
        for (int i = 0; i < batch; i++) System.arraycopy(labels.data(), perm[i] * row, other.data(), i * row, row);
        return new LabelMix(own, other);
    }

    /**
     * Mixes the batch in place.
     *
     * @param features the batch to write
     * @param original a copy of the batch before mixing
     * @param perm example i is mixed with example perm[i]
     * @param lambda the drawn λ
     * @param d further draws of this step
     * @return λ', the share of each example's own label after mixing
     */
    abstract double mix(Tensor features, float[] original, int[] perm, double lambda, Draws d);

    /** @return λ of this step, for tests */
    final double lambdaAt(StepContext ctx) {
        return new Draws(CounterRng.key(ctx.seed(), stream, ctx.step())).symmetricBeta(alpha);
    }

    @Override
    public final String toString() {
        return spec;
    }
}
