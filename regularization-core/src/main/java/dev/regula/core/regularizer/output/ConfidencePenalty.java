package dev.regula.core.regularizer.output;

import dev.regula.api.UnsupportedShapeException;
import dev.regula.api.StepContext;
import dev.regula.api.regularizer.OutputRegularizer;
import dev.regula.api.schedule.Schedule;
import dev.regula.api.spec.SpecArguments;
import dev.regula.api.tensor.Tensor;
import java.util.Arrays;

/**
 * The confidence penalty of Pereyra et al. 2017 ("Regularizing neural networks by penalizing
 * confident output distributions"): R = −β·H(p), averaged over the batch like the data loss,
 * where p = softmax(z) of the logits z of each row and H(p) = −Σⱼ pⱼ·log pⱼ. Low-entropy
 * (over-confident) outputs pay more. With a threshold Γ &gt; 0 ({@code threshold}), the hinge
 * form of the paper: R = β·max(0, Γ − H(p)), which stops pushing once the entropy reaches Γ.
 *
 * <p>Gradient per row: ∂(−H)/∂zⱼ = pⱼ·(log pⱼ + H), so ∂R/∂zⱼ = β·pⱼ·(log pⱼ + H)/B where the
 * penalty is active. Computed in double precision with a stable log-softmax; pⱼ = 0 contributes 0.
 *
 * <p>The penalty depends on the output alone: the {@code condition} (the batch targets the trainer
 * passes) is ignored and may be {@code null}.
 */
final class ConfidencePenalty implements OutputRegularizer {
    private final String spec;
    private final Schedule beta;
    private final double threshold;

    ConfidencePenalty(SpecArguments a) {
        this.spec = a.toSpec().toString();
        this.beta = a.schedule("beta");
        this.threshold = a.number("threshold");
    }

    @Override
    public String name() {
        return ConfidencePenaltyProvider.NAME;
    }

    @Override
    public String spec() {
        return spec;
    }

    @Override
    public double apply(Tensor output, Tensor condition, Tensor gradOutput, StepContext ctx) {
        if (output.rank() != 2 || output.dim(0) < 1 || output.dim(1) < 1) {
            throw new UnsupportedShapeException(name() + ": expected logits of shape [batch, classes], got "
                    + Arrays.toString(output.shape()));
        }
        output.requireSameShape(gradOutput, name() + " gradOutput");
        double b = beta.valueAt(ctx.step(), ctx.epoch());
        if (b == 0) return 0;
        int batch = output.dim(0);
        int k = output.dim(1);
        float[] z = output.data();
        float[] g = gradOutput.data();
        double[] logp = new double[k];
        double scale = b / batch;
        double total = 0;
        for (int r = 0; r < batch; r++) {
            int o = r * k;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) max = Math.max(max, z[o + c]);
            double sum = 0;
            for (int c = 0; c < k; c++) sum += Math.exp(z[o + c] - max);
            double logSum = max + Math.log(sum);
            double h = 0;
            for (int c = 0; c < k; c++) {
                logp[c] = z[o + c] - logSum;
                h -= Math.exp(logp[c]) * logp[c];
            }
            if (threshold > 0) {
                if (h >= threshold) continue;
                total += threshold - h;
            } else {
                total -= h;
            }
            for (int c = 0; c < k; c++) {
                double p = Math.exp(logp[c]);
                g[o + c] += (float) (scale * p * (logp[c] + h));
            }
        }
        return b * total / batch;
    }

    @Override
    public String toString() {
        return spec;
    }
}
