package dev.regula.core.layer;

import dev.regula.api.ShapeMismatchException;
import java.util.Arrays;

/**
 * Layer normalisation (Ba et al. 2016), PyTorch's {@code nn.LayerNorm(normalized_shape=example
 * shape)}: each example is normalised over all its values with its own mean and biased variance,
 * then scaled and shifted element-wise by γ and β of the example's size. Same function in TRAIN
 * and EVAL; see {@link SegmentNorm} for the parameters and the gradient.
 */
public final class LayerNorm extends SegmentNorm {
    /** ε added to the variance by default, PyTorch's. */
    public static final double DEFAULT_EPS = 1e-5;

    private final int size;

    /**
     * @param name the layer name
     * @param size the number of values of one example
     */
    public LayerNorm(String name, int size) {
        this(name, size, DEFAULT_EPS);
    }

    /**
     * @param name the layer name
     * @param size the number of values of one example, ≥ 1
     * @param eps ε &gt; 0 added to the variance
     */
    public LayerNorm(String name, int size, double eps) {
        super(name, size, eps);
        this.size = size;
    }

    @Override
    int segments(int[] example) {
        int n = example.length == 0 ? 0 : dev.regula.api.tensor.Tensor.sizeOf(example);
        if (n != size) {
            throw new ShapeMismatchException("layer '" + name() + "' normalises examples of " + size + " values, got shape "
                    + Arrays.toString(example));
        }
        return 1;
    }

    @Override
    int spread(int[] example) {
        return 1;
    }

    @Override
    public String toString() {
        return "LayerNorm(" + name() + ", " + size + ")";
    }
}
