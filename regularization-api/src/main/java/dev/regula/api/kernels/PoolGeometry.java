package dev.regula.api.kernels;

/**
 * The shape of one 2-D pooling (PyTorch's {@code nn.MaxPool2d} and {@code nn.AvgPool2d} without
 * padding, {@code ceil_mode=False}) as the pooling kernels of {@link Kernels} see it: an input
 * batch [batch, channels, height, width], square kernel×kernel windows moved by {@code stride} in
 * both directions over each plane (one channel of one example), and an output batch [batch,
 * channels, {@link #outHeight()}, {@link #outWidth()}]. All arrays are dense, row-major, offset 0.
 *
 * @param batch examples in the batch, ≥ 1
 * @param channels channels, ≥ 1
 * @param height input height, ≥ kernel
 * @param width input width, ≥ kernel
 * @param kernel window side, ≥ 1
 * @param stride step between windows, ≥ 1
 */
public record PoolGeometry(int batch, int channels, int height, int width, int kernel, int stride) {
    /**
     * @throws IllegalArgumentException naming the value out of range and the allowed range, or an
     *     image smaller than the kernel
     */
    public PoolGeometry {
        atLeast("batch", batch, 1);
        atLeast("channels", channels, 1);
        atLeast("kernel", kernel, 1);
        atLeast("stride", stride, 1);
        atLeast("height", height, kernel);
        atLeast("width", width, kernel);
        if ((long) batch * channels * height * width > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("pooling input of " + batch + "x" + channels + "x" + height + "x" + width
                    + " values is larger than an array holds (" + Integer.MAX_VALUE + ")");
        }
    }

    private static void atLeast(String what, int value, int min) {
        if (value < min) throw new IllegalArgumentException(what + " must be >= " + min + ", got " + value);
    }

    /** @return (height − kernel)/stride + 1, rounded down */
    public int outHeight() {
        return (height - kernel) / stride + 1;
    }

    /** @return (width − kernel)/stride + 1, rounded down */
    public int outWidth() {
        return (width - kernel) / stride + 1;
    }

    /** @return batch·channels, the number of planes pooled independently */
    public int planes() {
        return batch * channels;
    }

    /** @return values of the input batch */
    public int inputSize() {
        return planes() * height * width;
    }

    /** @return values of the output batch */
    public int outputSize() {
        return planes() * outHeight() * outWidth();
    }
}
