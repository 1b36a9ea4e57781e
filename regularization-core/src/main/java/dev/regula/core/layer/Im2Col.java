package dev.regula.core.layer;

/**
 * Small helpers of the convolution layers: the output extent of a convolution, the per-channel
 * sums of a batch (a bias gradient) and the growth of reused scratch arrays. The convolutions
 * themselves are kernels ({@link dev.regula.api.kernels.Kernels#conv2d} and its two backward passes).
 */
final class Im2Col {
    private Im2Col() {
    }

    /**
     * @param size input extent
     * @param kernel kernel extent
     * @param stride stride
     * @param padding zero padding on each side
     * @return (size + 2·padding − kernel)/stride + 1, the convolution's output extent
     */
    static int convOut(int size, int kernel, int stride, int padding) {
        return Math.floorDiv(size + 2 * padding - kernel, stride) + 1;
    }

    /**
     * @param x a [batch, channels, plane] batch
     * @param acc acc[c] += Σ over batch and plane of channel c
     */
    static void addChannelSums(float[] x, int batch, int channels, int plane, float[] acc) {
        for (int c = 0; c < channels; c++) {
            double s = 0;
            for (int n = 0; n < batch; n++) {
                int off = (n * channels + c) * plane;
                for (int i = 0; i < plane; i++) s += x[off + i];
            }
            acc[c] += (float) s;
        }
    }

    /**
     * @param buffer a scratch buffer or null
     * @param size the size needed
     * @return {@code buffer} if it holds at least {@code size} values, else a new array
     */
    static float[] atLeast(float[] buffer, int size) {
        return buffer != null && buffer.length >= size ? buffer : new float[size];
    }
}
