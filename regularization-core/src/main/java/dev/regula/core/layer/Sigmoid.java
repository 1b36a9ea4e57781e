package dev.regula.core.layer;

import dev.regula.api.kernels.Kernels;
import dev.regula.api.tensor.Tensor;

/**
 * The logistic function σ(x) = 1/(1 + e^−x), element-wise on a batch of any shape, computed
 * without overflow for large |x|; backward uses y·(1 − y). An {@linkplain #isActivation() activation}.
 * EVAL forwards change no state.
 */
public final class Sigmoid extends Elementwise {
    /** @param name the layer name, unique in the model */
    public Sigmoid(String name) {
        super(name);
    }

    @Override
    void apply(float[] x, float[] y, Tensor input, Kernels k) {
        for (int i = 0; i < x.length; i++) y[i] = sigmoid(x[i]);
    }

    @Override
    void gradient(float[] x, float[] y, float[] g, float[] gin, Tensor input, Kernels k) {
        for (int i = 0; i < x.length; i++) gin[i] = g[i] * y[i] * (1f - y[i]);
    }

    @Override
    public boolean isActivation() {
        return true;
    }

    /**
     * @param x a value
     * @return σ(x), evaluated so that e^x never overflows
     */
    static float sigmoid(float x) {
        if (x >= 0f) return (float) (1.0 / (1.0 + Math.exp(-x)));
        double e = Math.exp(x);
        return (float) (e / (1.0 + e));
    }
}
