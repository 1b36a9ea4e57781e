package dev.regula.core.optim;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.schedule.Schedule;
import dev.regula.api.tensor.Tensor;
import java.util.List;

/**
 * Adam (Kingma &amp; Ba 2015) as PyTorch's {@code Adam}: m ← β1·m + (1−β1)·g,
 * v ← β2·v + (1−β2)·g², θ ← θ − η·m̂/(√v̂ + ε) with bias corrections 1 − βᵗ, t counted per
 * optimizer from 1. AdamW is this update plus an implied {@link DecoupledDecay} that the pipeline
 * runs at the DECOUPLED stage.
 *
 * <p>State: {@code <param>#m}, {@code <param>#v} and the step count {@code #step} (a 1-element
 * float tensor: exact up to 2²⁴ steps, beyond which the bias corrections are 1 anyway).
 */
final class Adam extends AbstractOptimizer {
    private final float beta1;
    private final float beta2;
    private final float eps;
    private final List<ParameterRegularizer> implied;

    Adam(String name, String spec, Schedule learningRate, double beta1, double beta2, double eps,
         List<ParameterRegularizer> implied) {
        super(name, spec, learningRate, List.of("m", "v", "step"));
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.eps = (float) eps;
        this.implied = List.copyOf(implied);
    }

    @Override
    public void step(List<Parameter> parameters, StepContext ctx) {
        Tensor counter = scalar("step");
        double t = counter.get(0) + 1.0;
        counter.set(0, (float) t);
        float bc1 = (float) (1 - Math.pow(beta1, t));
        float bc2 = (float) (1 - Math.pow(beta2, t));
        float lr = (float) ctx.learningRate();
        for (Parameter p : parameters) {
            ctx.kernels().adam(p.size(), lr, beta1, beta2, eps, bc1, bc2, p.value().data(), p.grad().data(),
                    slot(p, "m").data(), slot(p, "v").data());
        }
    }

    @Override
    public List<ParameterRegularizer> impliedRegularizers() {
        return implied;
    }
}
