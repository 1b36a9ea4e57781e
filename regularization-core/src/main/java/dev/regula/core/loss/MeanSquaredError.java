package dev.regula.core.loss;

/**
 * Mean squared error, (1/N)·Σ (output − target)², averaged over all N elements (PyTorch's
 * {@code MSELoss} with {@code reduction='mean'}; no factor 1/2). Output and target have the
 * same shape [batch, ...]; the gradient is 2·(output − target)/N.
 */
public final class MeanSquaredError extends ElementwiseLoss {
    /** Creates the loss. */
    public MeanSquaredError() {
    }

    @Override
    public String name() {
        return "mean-squared-error";
    }

    @Override
    double term(double x, double t, int i, float[] g, double invN) {
        double d = x - t;
        g[i] = (float) (2 * d * invN);
        return d * d;
    }
}
