package dev.regula.core.regularizer.decay;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterSelector;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.regularizer.Stage;
import dev.regula.api.schedule.Schedule;
import java.util.Objects;

/**
 * Decoupled weight decay on the pre-update weights (the DECOUPLED stage runs just before the
 * optimizer update, so the step is θ_{t−1} − η_t·u_t − η_t·λ_t·θ_{t−1}): θ ← (1 − η_t·λ_t)·θ when
 * {@code lrCoupled} (AdamW: the decay follows the learning-rate schedule η_t =
 * {@link StepContext#learningRate()}, "soft decay"), or θ ← (1 − λ_t)·θ otherwise.
 *
 * <p>The decay is not the gradient of a term of the objective (with adaptive optimizers it is not
 * equivalent to any L2 penalty), so {@link #penalty} is 0 and nothing is reported for it. A shrink
 * factor below 0 would flip signs: {@link #apply} refuses η_t·λ_t &gt; 1 with a
 * {@link dev.regula.api.spec.SpecException} (bad usage: the setting is out of range for this run); with {@code lrCoupled = false} the provider already restricts λ to [0, 1].
 *
 * @param lambda the decay rate λ_t
 * @param lrCoupled whether the shrinkage is multiplied by the learning rate η_t
 * @param selector the parameters acted on
 * @param spec the canonical spec
 */
record WeightDecay(Schedule lambda, boolean lrCoupled, ParameterSelector selector, String spec)
        implements ParameterRegularizer {
    WeightDecay {
        Objects.requireNonNull(lambda, "lambda");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(spec, "spec");
    }

    @Override
    public String name() {
        return WeightDecayProvider.NAME;
    }

    @Override
    public Stage stage() {
        return Stage.DECOUPLED;
    }

    /** @return 0: decoupled decay is not part of the objective */
    @Override
    public double penalty(Parameter p, StepContext ctx) {
        return 0;
    }

    @Override
    public void apply(Parameter p, StepContext ctx) {
        double l = lambda.valueAt(ctx.step(), ctx.epoch());
        double shrink = lrCoupled ? ctx.learningRate() * l : l;
        if (shrink == 0) return;
        if (!(shrink >= 0 && shrink <= 1)) {
            // a setting out of range for this run (bad usage, exit 2), not a fault of the code: a SpecException
            throw new dev.regula.api.spec.SpecException(spec + " at step " + ctx.step() + ": shrinkage "
                    + (lrCoupled ? "lr*lambda = " + ctx.learningRate() + "*" + l : "lambda") + " = " + shrink
                    + " is outside [0, 1], which would flip or blow up the weights of " + p.name()
                    + "; lower lambda or the learning rate");
        }
        float[] x = p.value().data();
        ctx.kernels().scale(x.length, (float) (1 - shrink), x, 0);
    }
}
