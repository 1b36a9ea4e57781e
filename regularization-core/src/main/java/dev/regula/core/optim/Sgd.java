package dev.regula.core.optim;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.schedule.Schedule;
import java.util.List;

/**
 * Stochastic gradient descent with optional (Nesterov) momentum, as PyTorch's {@code SGD} with
 * dampening 0: v ← μ·v + g; θ ← θ − η·(nesterov ? g + μ·v : v). With μ = 0: θ ← θ − η·g and no state.
 * State: {@code <param>#velocity}.
 */
final class Sgd extends AbstractOptimizer {
    private final float momentum;
    private final boolean nesterov;
    private final List<ParameterRegularizer> implied;

    Sgd(String spec, Schedule learningRate, double momentum, boolean nesterov, List<ParameterRegularizer> implied) {
        super("sgd", spec, learningRate, List.of("velocity"));
        this.momentum = (float) momentum;
        this.nesterov = nesterov;
        this.implied = List.copyOf(implied);
    }

    /** @return the coupled {@code weight_decay}, if set */
    @Override
    public List<ParameterRegularizer> impliedRegularizers() {
        return implied;
    }

    /** One fused pass per parameter: decay, velocity, update and finiteness check together. */
    @Override
    public boolean stepWithDecay(List<Parameter> parameters, float[] decay, StepContext ctx) {
        float lr = (float) ctx.learningRate();
        boolean finite = true;
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            float[] velocity = momentum == 0f ? null : slot(p, "velocity").data();
            finite &= ctx.kernels().sgdMomentumWithDecay(p.size(), lr, momentum, nesterov, decay[i],
                    p.value().data(), p.grad().data(), velocity);
        }
        return finite;
    }

    @Override
    public void step(List<Parameter> parameters, StepContext ctx) {
        float lr = (float) ctx.learningRate();
        for (Parameter p : parameters) {
            float[] value = p.value().data();
            float[] grad = p.grad().data();
            if (momentum == 0f) {
                ctx.kernels().axpy(value.length, -lr, grad, 0, value, 0);
            } else {
                ctx.kernels().sgdMomentum(value.length, lr, momentum, nesterov, value, grad, slot(p, "velocity").data());
            }
        }
    }
}
