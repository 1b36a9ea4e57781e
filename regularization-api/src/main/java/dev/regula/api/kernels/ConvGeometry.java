package dev.regula.api.kernels;

/**
 * The shape of one 2-D convolution (cross-correlation, as PyTorch's {@code nn.Conv2d}) as the
 * convolution kernels of {@link Kernels} see it: an input batch [batch, inChannels, height, width],
 * a weight [outChannels, inChannels, kernel, kernel] (PyTorch's layout), square kernels, equal
 * stride and zero padding in both directions, and an output batch [batch, outChannels,
 * {@link #outHeight()}, {@link #outWidth()}]. All arrays are dense, row-major, offset 0.
 *
 * <p>A transposed convolution is the adjoint of the convolution whose geometry maps its output
 * back to its input, so it is computed by the same three kernels with input and output swapped.
 *
 * @param batch images in the batch, ≥ 1
 * @param inChannels input channels, ≥ 1
 * @param height input height, ≥ 1
 * @param width input width, ≥ 1
 * @param outChannels output channels, ≥ 1
 * @param kernel kernel height and width, ≥ 1
 * @param stride stride, ≥ 1
 * @param padding zero padding on each side, ≥ 0
 */
public record ConvGeometry(int batch, int inChannels, int height, int width, int outChannels,
                           int kernel, int stride, int padding) {
    /**
     * @throws IllegalArgumentException naming the value out of range and the allowed range, or an
     *     output that would be empty
     */
    public ConvGeometry {
        atLeast("batch", batch, 1);
        atLeast("inChannels", inChannels, 1);
        atLeast("height", height, 1);
        atLeast("width", width, 1);
        atLeast("outChannels", outChannels, 1);
        atLeast("kernel", kernel, 1);
        atLeast("stride", stride, 1);
        atLeast("padding", padding, 0);
        if (height + 2 * padding < kernel || width + 2 * padding < kernel) {
            throw new IllegalArgumentException("convolution input " + height + "x" + width + " with padding " + padding
                    + " is smaller than kernel " + kernel + "; height and width + 2·padding must be >= kernel");
        }
    }

    private static void atLeast(String what, int value, int min) {
        if (value < min) throw new IllegalArgumentException(what + " must be >= " + min + ", got " + value);
    }

    /** @return (height + 2·padding − kernel)/stride + 1, rounded down */
    public int outHeight() {
        return (height + 2 * padding - kernel) / stride + 1;
    }

    /** @return (width + 2·padding − kernel)/stride + 1, rounded down */
    public int outWidth() {
        return (width + 2 * padding - kernel) / stride + 1;
    }

    /** @return inChannels·kernel·kernel, the length of one patch (the inner dimension of the forward product) */
    public int patch() {
        return inChannels * kernel * kernel;
    }

    /** @return values of the input batch */
    public int inputSize() {
        return batch * inChannels * height * width;
    }

    /** @return values of the output batch */
    public int outputSize() {
        return batch * outChannels * outHeight() * outWidth();
    }

    /** @return values of the weight */
    public int weightSize() {
        return outChannels * patch();
    }
}
