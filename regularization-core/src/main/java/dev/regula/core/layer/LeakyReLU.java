package dev.regula.core.layer;

import dev.regula.api.kernels.Kernels;
import dev.regula.api.tensor.Tensor;

/**
 * The leaky rectifier, y = x for x &gt; 0 and slope·x otherwise, element-wise on a batch of any
 * shape (PyTorch's {@code negative_slope}, default 0.01). An {@linkplain #isActivation() activation}.
 * EVAL forwards change no state.
 */
public final class LeakyReLU extends Elementwise {
    /** PyTorch's default negative slope. */
    public static final float DEFAULT_SLOPE = 0.01f;

    private final float slope;

    /** @param name the layer name, unique in the model; the slope is {@value #DEFAULT_SLOPE} */
    public LeakyReLU(String name) {
        this(name, DEFAULT_SLOPE);
    }

    /**
     * @param name the layer name, unique in the model
     * @param slope the slope for negative inputs, finite and ≥ 0
     */
    public LeakyReLU(String name, float slope) {
        super(name);
        if (!(slope >= 0f) || !Float.isFinite(slope)) {
            throw new IllegalArgumentException("layer '" + name + "': slope must be finite and >= 0, got " + slope);
        }
        this.slope = slope;
    }

    /** @return the slope for negative inputs */
    public float slope() {
        return slope;
    }

    @Override
    void apply(float[] x, float[] y, Tensor input, Kernels k) {
        k.leakyRelu(input.size(), slope, x, y);
    }

    @Override
    void gradient(float[] x, float[] y, float[] g, float[] gin, Tensor input, Kernels k) {
        k.leakyReluBackward(input.size(), slope, x, g, gin);
    }

    @Override
    public boolean isActivation() {
        return true;
    }
}
