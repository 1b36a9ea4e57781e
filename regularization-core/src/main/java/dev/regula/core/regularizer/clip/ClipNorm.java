package dev.regula.core.regularizer.clip;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.regularizer.GradientClipper;
import java.util.List;

/**
 * Global-norm gradient clipping (Pascanu et al. 2013; PyTorch {@code clip_grad_norm_}): with
 * N = √(Σ_p ‖∇p‖²) over all parameters, when N &gt; max every gradient is multiplied by max/N, so
 * the global norm becomes max and the direction is kept; otherwise nothing changes. A non-finite N
 * (NaN or Inf in a gradient) leaves the gradients as they are, so that the trainer's numerical
 * check reports where the fault came from instead of a silent zero update.
 *
 * @param max the largest global norm allowed, &gt; 0
 * @param spec the canonical spec
 */
record ClipNorm(double max, String spec) implements GradientClipper {
    ClipNorm {
        if (!(max > 0) || Double.isInfinite(max)) throw new IllegalArgumentException("max must be finite and > 0, got " + max);
        java.util.Objects.requireNonNull(spec, "spec");
    }

    @Override
    public String name() {
        return ClipNormProvider.NAME;
    }

    /** @return the global gradient norm N before clipping */
    @Override
    public double clip(List<Parameter> parameters, StepContext ctx) {
        double norm = GlobalNorm.of(parameters, ctx.kernels());
        if (Double.isFinite(norm) && norm > max) {
            float factor = (float) (max / norm);
            for (Parameter p : parameters) {
                float[] g = p.grad().data();
                ctx.kernels().scale(g.length, factor, g, 0);
            }
        }
        return norm;
    }
}
