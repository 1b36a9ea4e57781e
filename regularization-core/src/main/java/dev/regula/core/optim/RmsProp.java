package dev.regula.core.optim;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.schedule.Schedule;
import java.util.List;

/**
 * RMSProp as PyTorch's {@code RMSprop} (not centered): s ← α·s + (1−α)·g²; with momentum μ &gt; 0,
 * b ← μ·b + g/(√s + ε) and θ ← θ − η·b, otherwise θ ← θ − η·g/(√s + ε).
 * State: {@code <param>#square_avg} and, with momentum, {@code <param>#momentum}.
 */
final class RmsProp extends AbstractOptimizer {
    private final float alpha;
    private final float eps;
    private final float momentum;
    private final List<ParameterRegularizer> implied;

    RmsProp(String spec, Schedule learningRate, double alpha, double eps, double momentum,
            List<ParameterRegularizer> implied) {
        super("rmsprop", spec, learningRate, List.of("square_avg", "momentum"));
        this.alpha = (float) alpha;
        this.eps = (float) eps;
        this.momentum = (float) momentum;
        this.implied = List.copyOf(implied);
    }

    /** @return the coupled {@code weight_decay}, if set */
    @Override
    public List<ParameterRegularizer> impliedRegularizers() {
        return implied;
    }

    @Override
    public void step(List<Parameter> parameters, StepContext ctx) {
        float lr = (float) ctx.learningRate();
        float c = 1f - alpha;
        for (Parameter p : parameters) {
            float[] value = p.value().data();
            float[] g = p.grad().data();
            float[] s = slot(p, "square_avg").data();
            float[] b = momentum > 0f ? slot(p, "momentum").data() : null;
            for (int i = 0; i < value.length; i++) {
                float gi = g[i];
                float si = alpha * s[i] + c * gi * gi;
                s[i] = si;
                float step = gi / ((float) Math.sqrt(si) + eps);
                if (b != null) {
                    step += momentum * b[i];
                    b[i] = step;
                }
                value[i] -= lr * step;
            }
        }
    }
}
