package dev.regula.core.layer;

import dev.regula.api.kernels.Kernels;
import dev.regula.api.tensor.Tensor;

/**
 * The hyperbolic tangent, element-wise on a batch of any shape; backward uses 1 − y².
 * An {@linkplain #isActivation() activation}. EVAL forwards change no state.
 */
public final class Tanh extends Elementwise {
    /** @param name the layer name, unique in the model */
    public Tanh(String name) {
        super(name);
    }

    @Override
    void apply(float[] x, float[] y, Tensor input, Kernels k) {
        k.tanh(input.size(), x, y);
    }

    @Override
    void gradient(float[] x, float[] y, float[] g, float[] gin, Tensor input, Kernels k) {
        k.tanhBackward(input.size(), y, g, gin);
    }

    @Override
    public boolean isActivation() {
        return true;
    }
}
