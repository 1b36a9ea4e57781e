package dev.regula.core.loss;

import dev.regula.api.kernels.Kernels;
import dev.regula.api.loss.Loss;
import dev.regula.api.tensor.Tensor;

/**
 * Mean squared error, (1/N)·Σ (output − target)², averaged over all N elements (PyTorch's
 * {@code MSELoss} with {@code reduction='mean'}; no factor 1/2). Output and target have the
 * same shape [batch, ...]; the gradient is 2·(output − target)/N.
 */
public final class MeanSquaredError implements Loss {
    /** Creates the loss. */
    public MeanSquaredError() {
    }

    @Override
    public String name() {
        return "mean-squared-error";
    }

    /** @throws dev.regula.api.ShapeMismatchException if target or gradOutput do not have the output's shape */
    @Override
    public double compute(Tensor output, Tensor target, Tensor gradOutput, Kernels kernels) {
        Losses.requireNonEmpty(name(), output);
        Losses.requireSameShape(name(), output, target, "target");
        Losses.requireSameShape(name(), output, gradOutput, "gradOutput");
        float[] x = output.data();
        float[] t = target.data();
        float[] g = gradOutput.data();
        double invN = 1.0 / x.length;
        double total = 0;
        for (int i = 0; i < x.length; i++) {
            double d = (double) x[i] - t[i];
            total += d * d;
            g[i] = (float) (2 * d * invN);
        }
        return total * invN;
    }

    @Override
    public String toString() {
        return name();
    }
}
