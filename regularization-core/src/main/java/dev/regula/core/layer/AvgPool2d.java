package dev.regula.core.layer;

import dev.regula.api.kernels.Kernels;
import dev.regula.api.kernels.PoolGeometry;

/**
 * Average pooling of NCHW feature maps (PyTorch's {@code nn.AvgPool2d} without padding): each
 * output pixel of each channel is the mean of a kernel×kernel window of the input, windows moving
 * by {@code stride}, so [N, C, H, W] becomes [N, C, (H − k)/s + 1, (W − k)/s + 1] (rounded down).
 * Backward spreads each output gradient evenly, 1/k² to every pixel of its window (overlapping
 * windows add up); a TRAIN forward records only the input shape. Computed by
 * {@link Kernels#avgPool2d} and {@link Kernels#avgPool2dBackward}. No parameters; shared EVAL
 * forwards change no state, TRAIN and exclusive EVAL forwards reuse an output buffer of the
 * layer, backward an input-gradient buffer (one thread at a time trains a layer).
 */
public final class AvgPool2d extends PoolingLayer {
    /**
     * @param name the layer name, unique in the model
     * @param kernel the window side, in [1, 4096]
     * @param stride the step between windows, in [1, 4096]
     * @throws IllegalArgumentException if the name, the kernel or the stride is out of range
     */
    public AvgPool2d(String name, int kernel, int stride) {
        super(name, kernel, stride);
    }

    @Override
    void pool(Kernels k, PoolGeometry g, float[] x, float[] y, boolean training) {
        k.avgPool2d(g, x, y);
    }

    @Override
    void unpool(Kernels k, PoolGeometry g, float[] gy, float[] gx) {
        k.avgPool2dBackward(g, gy, gx);
    }
}
