package dev.regula.gan.train;

import dev.regula.api.StepContext;
import dev.regula.api.kernels.Kernels;
import dev.regula.api.param.Parameter;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.layer.BatchNorm;
import dev.regula.core.layer.Sequential;
import java.util.List;
import java.util.Objects;

/**
 * An exponential moving average of a generator's weights, used only to draw samples and to evaluate:
 * after the t-th generator update (t from 1) every parameter of the shadow copy becomes
 * θ_avg ← β_t·θ_avg + (1 − β_t)·θ with β_t = min(β, (1 + t)/(10 + t)), so early iterates are forgotten
 * quickly. Training never reads the average. BatchNorm running statistics are taken from the live
 * generator when generating. Deterministic; not thread-safe.
 */
public final class GeneratorAverage {
    private final Sequential live;
    private final Sequential shadow;
    private final List<Parameter> liveParams;
    private final List<Parameter> shadowParams;
    private final double decay;
    private long updates;

    /**
     * @param live the generator being trained
     * @param shadow a generator of the same architecture (its weights are overwritten with live's)
     * @param decay β in [0, 1)
     * @throws IllegalArgumentException if the two do not have the same parameters, or β is out of range
     */
    public GeneratorAverage(Sequential live, Sequential shadow, double decay) {
        this.live = Objects.requireNonNull(live, "live");
        this.shadow = Objects.requireNonNull(shadow, "shadow");
        if (!(decay >= 0 && decay < 1)) throw new IllegalArgumentException("decay must be in [0, 1), got " + decay);
        this.decay = decay;
        this.liveParams = live.parameters();
        this.shadowParams = shadow.parameters();
        if (liveParams.size() != shadowParams.size()) {
            throw new IllegalArgumentException("the shadow generator has " + shadowParams.size() + " parameters, the live one "
                    + liveParams.size());
        }
        for (int i = 0; i < liveParams.size(); i++) {
            Parameter a = liveParams.get(i);
            Parameter b = shadowParams.get(i);
            if (!a.name().equals(b.name()) || a.size() != b.size()) {
                throw new IllegalArgumentException("parameter " + i + " differs: " + a + " against " + b);
            }
            System.arraycopy(a.value().data(), 0, b.value().data(), 0, a.size());
        }
    }

    /** Folds the live weights into the average; call after every generator update. */
    public void update() {
        updates++;
        float beta = (float) Math.min(decay, (1.0 + updates) / (10.0 + updates));
        float alpha = 1 - beta;
        for (int i = 0; i < liveParams.size(); i++) {
            float[] src = liveParams.get(i).value().data();
            float[] dst = shadowParams.get(i).value().data();
            for (int k = 0; k < dst.length; k++) dst[k] = beta * dst[k] + alpha * src[k];
        }
    }

    /**
     * Generates with the averaged weights in EVAL mode, with the live generator's BatchNorm statistics.
     *
     * @param input [z ‖ c] rows, shape [N, latent + conditionDim]
     * @param kernels the kernels
     * @return images, shape [N, 3, S, S]
     */
    public Tensor generate(Tensor input, Kernels kernels) {
        List<BatchNorm> from = Dcgan.batchNorms(live);
        List<BatchNorm> to = Dcgan.batchNorms(shadow);
        for (int i = 0; i < from.size(); i++) {
            to.get(i).runningMean().copyFrom(from.get(i).runningMean());
            to.get(i).runningVar().copyFrom(from.get(i).runningVar());
        }
        return shadow.forward(input, StepContext.eval(kernels));
    }

    /** @return the averaged generator */
    public Sequential shadow() {
        return shadow;
    }
}
