package dev.regula.core.regularizer.averaging;

import dev.regula.api.StepContext;
import dev.regula.api.spec.SpecArguments;

/**
 * Stochastic weight averaging (Izmailov et al. 2018): the equal-weight mean of the weights after
 * every {@code every}-th optimizer step from epoch {@code start_epoch} on (counted from 0):
 * avg ← avg + (θ − avg)/(n + 1) after n averages, as PyTorch's {@code AveragedModel} does.
 * PyTorch's usual recipe averages once per epoch from about 75 % of the run, with a constant or
 * cyclic learning rate meanwhile (give the optimizer's {@code lr} a schedule for that); set
 * {@code every} to the steps per epoch to average once per epoch.
 */
final class Swa extends WeightAverage {
    static final String KIND = "swa";
    private final long startEpoch;
    private final long every;

    Swa(SpecArguments a) {
        super(a.toSpec().toString());
        this.startEpoch = a.integer("start_epoch");
        this.every = a.integer("every");
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    boolean averageNow(StepContext ctx) {
        return ctx.epoch() >= startEpoch && (ctx.step() + 1) % every == 0;
    }

    @Override
    double weightOfNew(long updatesSoFar) {
        return 1.0 / (updatesSoFar + 1);
    }
}
