package dev.regula.core.layer;

import dev.regula.api.kernels.Kernels;
import dev.regula.api.kernels.PoolGeometry;

/**
 * Max pooling of NCHW feature maps (PyTorch's {@code nn.MaxPool2d} without padding): each output
 * pixel of each channel is the maximum of a kernel×kernel window of the input, windows moving by
 * {@code stride}, so [N, C, H, W] becomes [N, C, (H − k)/s + 1, (W − k)/s + 1] (rounded down).
 * Ties go to the first maximum in row-major order, a NaN in a window wins. Backward routes each
 * output gradient to the input position that was the maximum (overlapping windows add up), which
 * a TRAIN forward records. Computed by {@link Kernels#maxPool2d} and
 * {@link Kernels#maxPool2dBackward}. No parameters; shared EVAL forwards change no state, TRAIN
 * and exclusive EVAL forwards reuse an output buffer of the layer, backward an input-gradient
 * buffer (one thread at a time trains a layer).
 */
public final class MaxPool2d extends PoolingLayer {
    private int[] argmax = new int[0];

    /**
     * @param name the layer name, unique in the model
     * @param kernel the window side, in [1, 4096]
     * @param stride the step between windows, in [1, 4096]
     * @throws IllegalArgumentException if the name, the kernel or the stride is out of range
     */
    public MaxPool2d(String name, int kernel, int stride) {
        super(name, kernel, stride);
    }

    @Override
    void pool(Kernels k, PoolGeometry g, float[] x, float[] y, boolean training) {
        int[] idx = null;
        if (training) idx = argmax = argmax.length == g.outputSize() ? argmax : new int[g.outputSize()];
        k.maxPool2d(g, x, y, idx);
    }

    @Override
    void unpool(Kernels k, PoolGeometry g, float[] gy, float[] gx) {
        k.maxPool2dBackward(g, gy, argmax, gx);
    }
}
