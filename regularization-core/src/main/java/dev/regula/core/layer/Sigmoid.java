package dev.regula.core.layer;

import dev.regula.api.kernels.Kernels;
import dev.regula.api.tensor.Tensor;

/**
 * The logistic function σ(x) = 1/(1 + e^−x), element-wise on a batch of any shape, computed
 * without overflow for large |x| ({@link Kernels#sigmoid}); backward uses y·(1 − y). An
 * {@linkplain #isActivation() activation}. EVAL forwards change no state.
 */
public final class Sigmoid extends Elementwise {
    /** @param name the layer name, unique in the model */
    public Sigmoid(String name) {
        super(name);
    }

    @Override
    void apply(float[] x, float[] y, Tensor input, Kernels k) {
        k.sigmoid(input.size(), x, y);
    }

    @Override
    void gradient(float[] x, float[] y, float[] g, float[] gin, Tensor input, Kernels k) {
        k.sigmoidBackward(input.size(), y, g, gin);
    }

    @Override
    public boolean isActivation() {
        return true;
    }
}
