package dev.regula.core.layer;

import dev.regula.api.kernels.Kernels;
import dev.regula.api.tensor.Tensor;

/**
 * Softmax over the last dimension, y = exp(x − max)/Σ exp(x − max), for a batch of any rank ≥ 2
 * (rank 1 is treated as one row per example). Backward: ∂L/∂x = y ⊙ (g − Σ g⊙y) per row.
 *
 * <p>Not an activation in the sense of {@link #isActivation()} (no dropout after it by default),
 * and not needed before the built-in cross-entropy, which takes logits. EVAL forwards change no state.
 */
public final class Softmax extends Elementwise {
    /** @param name the layer name, unique in the model */
    public Softmax(String name) {
        super(name);
    }

    @Override
    void apply(float[] x, float[] y, Tensor input, Kernels k) {
        int cols = cols(input);
        if (cols == 0) return;
        k.softmaxRows(x.length / cols, cols, x, y);
    }

    @Override
    void gradient(float[] x, float[] y, float[] g, float[] gin, Tensor input, Kernels k) {
        int cols = cols(input);
        if (cols == 0) return;
        int rows = x.length / cols;
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            double dot = 0;
            for (int c = 0; c < cols; c++) dot += (double) g[o + c] * y[o + c];
            float d = (float) dot;
            for (int c = 0; c < cols; c++) gin[o + c] = y[o + c] * (g[o + c] - d);
        }
    }

    private static int cols(Tensor input) {
        return input.rank() == 1 ? 1 : input.dim(-1);
    }
}
