package dev.regula.gan.train;

import dev.regula.api.StepContext;
import dev.regula.api.regularizer.ScoreGradientRegularizer;
import dev.regula.api.schedule.Schedule;
import dev.regula.api.spec.SpecArguments;

/**
 * {@code r1(gamma, every)} and {@code r2(gamma, every)}: γ/2·mean‖∇ₓD‖² at the real (R1) or the
 * generated (R2) samples of a step, run lazily every {@code every} steps with weight γ·every. The
 * {@link GanTrainer} computes the parameter gradient with {@link R1Penalty}'s two-pass central
 * difference at the chosen samples (the generated ones held fixed, as a detached tensor).
 */
final class CriticGradientPenalty implements ScoreGradientRegularizer {
    private final String name;
    private final String spec;
    private final Samples samples;
    private final Schedule gamma;
    private final int every;

    CriticGradientPenalty(String name, Samples samples, SpecArguments a) {
        this.name = name;
        this.spec = a.toSpec().toString();
        this.samples = samples;
        this.gamma = a.schedule("gamma");
        this.every = (int) a.integer("every");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String spec() {
        return spec;
    }

    @Override
    public Samples samples() {
        return samples;
    }

    @Override
    public double gamma(StepContext ctx) {
        return gamma.valueAt(ctx.step(), ctx.epoch());
    }

    @Override
    public int every() {
        return every;
    }

    @Override
    public String toString() {
        return spec;
    }
}
