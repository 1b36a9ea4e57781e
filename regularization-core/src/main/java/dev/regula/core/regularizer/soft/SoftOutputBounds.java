package dev.regula.core.regularizer.soft;

import dev.regula.api.StepContext;
import dev.regula.api.regularizer.OutputRegularizer;
import dev.regula.api.schedule.Schedule;
import dev.regula.api.spec.SpecArguments;
import dev.regula.api.spec.SpecException;
import dev.regula.api.tensor.Tensor;
import java.util.Objects;

/**
 * Soft bounds on a model's outputs: a prior that every output lies in [min, max] (a regression
 * target's physical range, a probability, a pixel value), paid as a penalty instead of a clamp:
 * <pre>R(y) = λ/2 · (1/N) Σ_n Σ_j ( max(0, y_nj − max)² + max(0, min − y_nj)² )</pre>
 * with gradient λ/N·(y − max) above the band, −λ/N·(min − y) below it and 0 inside. It is an
 * {@link OutputRegularizer} that ignores the condition (the targets), so it works with every
 * loss and model; the trainer adds its gradient to the data loss's before backward.
 * With λ = 0 at a step it returns 0 and touches nothing. Stateless: thread-safe.
 */
public final class SoftOutputBounds implements OutputRegularizer {
    /** The provider name. */
    public static final String NAME = "soft-output-bounds";

    private final Schedule lambda;
    private final double min;
    private final double max;
    private final String spec;

    SoftOutputBounds(Schedule lambda, double min, double max, String spec) {
        if (!(min <= max)) {
            throw new SpecException("regularizer '" + NAME + "': min=" + min + " must be <= max=" + max);
        }
        this.lambda = Objects.requireNonNull(lambda, "lambda");
        this.min = min;
        this.max = max;
        this.spec = Objects.requireNonNull(spec, "spec");
    }

    static SoftOutputBounds create(SpecArguments a) {
        return new SoftOutputBounds(a.schedule("lambda"), a.number("min"), a.number("max"), a.toSpec().toString());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String spec() {
        return spec;
    }

    /**
     * @param output the model's output, any shape [N, ...]
     * @param condition ignored (the batch's targets)
     * @param gradOutput receives ∂R/∂output, same shape as output
     * @param ctx the step
     * @return R
     */
    @Override
    public double apply(Tensor output, Tensor condition, Tensor gradOutput, StepContext ctx) {
        Objects.requireNonNull(output, "output");
        output.requireSameShape(Objects.requireNonNull(gradOutput, "gradOutput"), NAME + ": gradOutput");
        double lam = lambda.valueAt(ctx.step(), ctx.epoch());
        int n = output.dim(0);
        if (lam == 0 || n == 0) return 0;
        float[] y = output.data();
        float[] g = gradOutput.data();
        double scale = lam / n;
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            double over = y[i] > max ? y[i] - max : y[i] < min ? y[i] - min : 0;
            if (over == 0) continue;
            sum += over * over;
            g[i] += (float) (scale * over);
        }
        return 0.5 * scale * sum;
    }

    @Override
    public String toString() {
        return spec;
    }
}
