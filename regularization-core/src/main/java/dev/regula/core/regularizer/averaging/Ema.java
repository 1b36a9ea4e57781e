package dev.regula.core.regularizer.averaging;

import dev.regula.api.StepContext;
import dev.regula.api.spec.SpecArguments;

/**
 * Exponential moving average of the weights after every optimizer step:
 * avg ← d_t·avg + (1 − d_t)·θ, started as a copy of θ after the first step. Without warm-up
 * d_t = {@code decay} (timm's {@code ModelEmaV2}); with warm-up (the default)
 * d_t = min(decay, (1 + t)/(10 + t)), t the number of updates already folded in, as TensorFlow's
 * {@code ExponentialMovingAverage(num_updates=t)} does, so that short runs are not dominated by
 * the first steps' weights.
 */
final class Ema extends WeightAverage {
    static final String KIND = "ema";
    private final double decay;
    private final boolean warmup;

    Ema(SpecArguments a) {
        super(a.toSpec().toString());
        this.decay = a.number("decay");
        this.warmup = a.bool("warmup");
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    boolean averageNow(StepContext ctx) {
        return true;
    }

    @Override
    double weightOfNew(long updatesSoFar) {
        double d = warmup ? Math.min(decay, (1.0 + updatesSoFar) / (10.0 + updatesSoFar)) : decay;
        return 1 - d;
    }
}
