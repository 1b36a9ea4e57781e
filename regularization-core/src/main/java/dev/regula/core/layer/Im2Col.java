package dev.regula.core.layer;

import java.util.Arrays;

/**
 * The patch-matrix transforms behind {@link Conv2d} and {@link ConvTranspose2d}.
 *
 * <p>For a batch x of shape [batch, channels, height, width], the column matrix has
 * channels·k·k rows, indexed (c, ki, kj), and batch·outH·outW columns, indexed (n, oy, ox); entry
 * ((c, ki, kj), (n, oy, ox)) is x[n, c, oy·s − p + ki, ox·s − p + kj], or 0 where that falls in
 * the padding. Putting the whole batch in one matrix makes each convolution one large GEMM.
 * {@link #col2im} is the adjoint: it adds every column entry back into the pixel it came from.
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
     * Writes the column matrix of {@code x}; every entry of the [channels·k·k, batch·outH·outW]
     * prefix of {@code cols} is overwritten.
     */
    static void im2col(float[] x, int batch, int channels, int height, int width, int k, int stride, int padding,
                       int outH, int outW, float[] cols) {
        int plane = height * width;
        int outPlane = outH * outW;
        int ld = batch * outPlane;
        int row = 0;
        for (int c = 0; c < channels; c++) {
            for (int ki = 0; ki < k; ki++) {
                for (int kj = 0; kj < k; kj++, row++) {
                    int rowBase = row * ld;
                    int lo = firstInside(kj, stride, padding);
                    int hi = Math.max(lo, endInside(kj, stride, padding, width, outW));
                    int ix0 = lo * stride - padding + kj;
                    for (int n = 0; n < batch; n++) {
                        int src = (n * channels + c) * plane;
                        int dst = rowBase + n * outPlane;
                        for (int oy = 0; oy < outH; oy++, dst += outW) {
                            int iy = oy * stride - padding + ki;
                            if (iy < 0 || iy >= height) {
                                Arrays.fill(cols, dst, dst + outW, 0f);
                                continue;
                            }
                            int srcRow = src + iy * width + ix0;
                            if (lo > 0) Arrays.fill(cols, dst, dst + Math.min(lo, outW), 0f);
                            if (stride == 1 && hi > lo) {
                                System.arraycopy(x, srcRow, cols, dst + lo, hi - lo);
                            } else {
                                for (int ox = lo, ix = srcRow; ox < hi; ox++, ix += stride) cols[dst + ox] = x[ix];
                            }
                            if (hi < outW) Arrays.fill(cols, dst + hi, dst + outW, 0f);
                        }
                    }
                }
            }
        }
    }

    /**
     * Adds the column matrix back into {@code x} (the adjoint of {@link #im2col}); entries that
     * came from the padding are dropped. {@code x} is not cleared first.
     */
    static void col2im(float[] cols, int batch, int channels, int height, int width, int k, int stride, int padding,
                       int outH, int outW, float[] x) {
        int plane = height * width;
        int outPlane = outH * outW;
        int ld = batch * outPlane;
        int row = 0;
        for (int c = 0; c < channels; c++) {
            for (int ki = 0; ki < k; ki++) {
                for (int kj = 0; kj < k; kj++, row++) {
                    int rowBase = row * ld;
                    int lo = firstInside(kj, stride, padding);
                    int hi = endInside(kj, stride, padding, width, outW);
                    int ix0 = lo * stride - padding + kj;
                    for (int n = 0; n < batch; n++) {
                        int dstBase = (n * channels + c) * plane;
                        int src = rowBase + n * outPlane;
                        for (int oy = 0; oy < outH; oy++, src += outW) {
                            int iy = oy * stride - padding + ki;
                            if (iy < 0 || iy >= height) continue;
                            int dstRow = dstBase + iy * width + ix0;
                            for (int ox = lo, ix = dstRow; ox < hi; ox++, ix += stride) x[ix] += cols[src + ox];
                        }
                    }
                }
            }
        }
    }

    /**
     * @return the first output column ox whose input column ox·stride − padding + kj is ≥ 0
     */
    private static int firstInside(int kj, int stride, int padding) {
        int d = padding - kj;
        return d <= 0 ? 0 : (d + stride - 1) / stride;
    }

    /**
     * @return one past the last output column ox (at most outW) whose input column
     *         ox·stride − padding + kj is &lt; width
     */
    private static int endInside(int kj, int stride, int padding, int width, int outW) {
        int d = width - 1 + padding - kj;
        return d < 0 ? 0 : Math.min(outW, d / stride + 1);
    }

    /**
     * Moves a [batch, channels, plane] batch to a [channels, batch·plane] matrix.
     */
    static void toChannelMajor(float[] x, int batch, int channels, int plane, float[] out) {
        int ld = batch * plane;
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < channels; c++) {
                System.arraycopy(x, (n * channels + c) * plane, out, c * ld + n * plane, plane);
            }
        }
    }

    /**
     * Moves a [channels, batch·plane] matrix to a [batch, channels, plane] batch, adding
     * {@code bias[c]} to every value of channel c when {@code bias} is not null.
     */
    static void toBatchMajor(float[] m, int batch, int channels, int plane, float[] bias, float[] out) {
        int ld = batch * plane;
        for (int c = 0; c < channels; c++) {
            float b = bias == null ? 0f : bias[c];
            for (int n = 0; n < batch; n++) {
                int src = c * ld + n * plane;
                int dst = (n * channels + c) * plane;
                if (b == 0f) {
                    System.arraycopy(m, src, out, dst, plane);
                } else {
                    for (int i = 0; i < plane; i++) out[dst + i] = m[src + i] + b;
                }
            }
        }
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
