package dev.regula.vector;

import dev.regula.api.kernels.ConvGeometry;
import java.util.Arrays;

/**
 * The patch-matrix transforms of a chunk of images [n0, n0 + count) of a convolution batch.
 *
 * <p>The chunk's column matrix has patch = channels·k·k rows, indexed (c, ki, kj), and
 * count·OH·OW columns, indexed (n − n0, oy, ox); entry ((c, ki, kj), (n, oy, ox)) is
 * x[n, c, oy·s − p + ki, ox·s − p + kj], or 0 in the padding. {@link #col2im} is its adjoint. The
 * channel-major moves turn a chunk of a [batch, channels, plane] batch into a [channels,
 * count·plane] matrix (the layout the products want) and back. Every method reads and writes only
 * the chunk's images, so chunks may run on different threads.
 */
final class Patches {
    private Patches() {
    }

    /** Writes the chunk's column matrix into {@code cols} (every entry of its prefix is overwritten). */
    static void im2col(ConvGeometry g, float[] x, int n0, int count, float[] cols) {
        int channels = g.inChannels();
        int height = g.height();
        int width = g.width();
        int k = g.kernel();
        int stride = g.stride();
        int padding = g.padding();
        int outH = g.outHeight();
        int outW = g.outWidth();
        int plane = height * width;
        int outPlane = outH * outW;
        int ld = count * outPlane;
        int row = 0;
        for (int c = 0; c < channels; c++) {
            for (int ki = 0; ki < k; ki++) {
                for (int kj = 0; kj < k; kj++, row++) {
                    int rowBase = row * ld;
                    int lo = firstInside(kj, stride, padding);
                    int hi = Math.max(lo, endInside(kj, stride, padding, width, outW));
                    int ix0 = lo * stride - padding + kj;
                    for (int n = 0; n < count; n++) {
                        int src = ((n0 + n) * channels + c) * plane;
                        int dst = rowBase + n * outPlane;
                        for (int oy = 0; oy < outH; oy++, dst += outW) {
                            int iy = oy * stride - padding + ki;
                            if (iy < 0 || iy >= height) {
                                Arrays.fill(cols, dst, dst + outW, 0f);
                                continue;
                            }
                            int srcRow = src + iy * width + ix0;
                            if (lo > 0) Arrays.fill(cols, dst, dst + Math.min(lo, outW), 0f);
                            if (stride == 1) {
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
     * Adds the chunk's column matrix back into the chunk of {@code x} (the adjoint of
     * {@link #im2col}); entries from the padding are dropped, {@code x} is not cleared first.
     */
    static void col2im(ConvGeometry g, float[] cols, int n0, int count, float[] x) {
        int channels = g.inChannels();
        int height = g.height();
        int width = g.width();
        int k = g.kernel();
        int stride = g.stride();
        int padding = g.padding();
        int outH = g.outHeight();
        int outW = g.outWidth();
        int plane = height * width;
        int outPlane = outH * outW;
        int ld = count * outPlane;
        // Image by image, so that the chunk of x written stays in cache while all its rows are added
        for (int n = 0; n < count; n++) {
            int row = 0;
            for (int c = 0; c < channels; c++) {
                int dstBase = ((n0 + n) * channels + c) * plane;
                for (int ki = 0; ki < k; ki++) {
                    for (int kj = 0; kj < k; kj++, row++) {
                        int lo = firstInside(kj, stride, padding);
                        int hi = endInside(kj, stride, padding, width, outW);
                        int ix0 = lo * stride - padding + kj;
                        int src = row * ld + n * outPlane;
                        for (int oy = 0; oy < outH; oy++, src += outW) {
                            int iy = oy * stride - padding + ki;
                            if (iy < 0 || iy >= height) continue;
                            int dstRow = dstBase + iy * width + ix0;
                            if (stride == 1) {
                                for (int ox = lo, ix = dstRow; ox < hi; ox++, ix++) x[ix] += cols[src + ox];
                            } else {
                                for (int ox = lo, ix = dstRow; ox < hi; ox++, ix += stride) x[ix] += cols[src + ox];
                            }
                        }
                    }
                }
            }
        }
    }

    /** @return the first output column ox whose input column ox·stride − padding + kj is ≥ 0 */
    private static int firstInside(int kj, int stride, int padding) {
        int d = padding - kj;
        return d <= 0 ? 0 : (d + stride - 1) / stride;
    }

    /** @return one past the last output column ox (at most outW) whose input column is &lt; width */
    private static int endInside(int kj, int stride, int padding, int width, int outW) {
        int d = width - 1 + padding - kj;
        return d < 0 ? 0 : Math.min(outW, d / stride + 1);
    }

    /** Copies images [n0, n0 + count) of a [batch, channels, plane] batch into a [channels, count·plane] matrix. */
    static void toChannelMajor(float[] x, int n0, int count, int channels, int plane, float[] out) {
        int ld = count * plane;
        for (int n = 0; n < count; n++) {
            for (int c = 0; c < channels; c++) {
                System.arraycopy(x, ((n0 + n) * channels + c) * plane, out, c * ld + n * plane, plane);
            }
        }
    }

    /**
     * Writes a [channels, count·plane] matrix into images [n0, n0 + count) of a [batch, channels,
     * plane] batch, adding {@code bias[c]} to channel c when {@code bias} is not null.
     */
    static void toBatchMajor(float[] m, int n0, int count, int channels, int plane, float[] bias, float[] out) {
        int ld = count * plane;
        for (int n = 0; n < count; n++) {
            for (int c = 0; c < channels; c++) {
                int src = c * ld + n * plane;
                int dst = ((n0 + n) * channels + c) * plane;
                float b = bias == null ? 0f : bias[c];
                if (b == 0f) {
                    System.arraycopy(m, src, out, dst, plane);
                } else {
                    for (int i = 0; i < plane; i++) out[dst + i] = m[src + i] + b;
                }
            }
        }
    }

    /** Sets every value of channel c of images [n0, n0 + count) to {@code bias[c]}, or 0 when {@code bias} is null. */
    static void fillChannels(float[] x, int n0, int count, int channels, int plane, float[] bias) {
        for (int n = 0; n < count; n++) {
            for (int c = 0; c < channels; c++) {
                int off = ((n0 + n) * channels + c) * plane;
                Arrays.fill(x, off, off + plane, bias == null ? 0f : bias[c]);
            }
        }
    }

    /** Adds {@code bias[c]} to every value of channel c of images [n0, n0 + count); nothing when null. */
    static void addBias(float[] y, int n0, int count, int channels, int plane, float[] bias) {
        if (bias == null) return;
        for (int n = 0; n < count; n++) {
            for (int c = 0; c < channels; c++) {
                int off = ((n0 + n) * channels + c) * plane;
                float b = bias[c];
                if (b != 0f) for (int i = 0; i < plane; i++) y[off + i] += b;
            }
        }
    }
}
