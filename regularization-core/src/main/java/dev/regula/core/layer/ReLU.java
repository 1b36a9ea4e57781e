package dev.regula.core.layer;

import dev.regula.api.kernels.Kernels;
import dev.regula.api.tensor.Tensor;

/**
 * The rectified linear unit, y = max(x, 0), element-wise on a batch of any shape. The derivative
 * at 0 is taken as 0 (as in PyTorch). An {@linkplain #isActivation() activation}: dropout goes
 * after it by default. EVAL forwards change no state.
 */
public final class ReLU extends Elementwise {
    /** @param name the layer name, unique in the model */
    public ReLU(String name) {
        super(name);
    }

    @Override
    void apply(float[] x, float[] y, Tensor input, Kernels k) {
        k.relu(x.length, x, 0, y, 0);
    }

    @Override
    void gradient(float[] x, float[] y, float[] g, float[] gin, Tensor input, Kernels k) {
        k.reluBackward(x.length, x, g, gin);
    }

    @Override
    public boolean isActivation() {
        return true;
    }
}
