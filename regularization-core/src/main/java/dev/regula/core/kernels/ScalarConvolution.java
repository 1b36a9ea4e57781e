package dev.regula.core.kernels;

import dev.regula.api.kernels.ConvGeometry;
import dev.regula.api.kernels.Kernels;

/**
 * The reference convolution kernels of {@link ScalarKernels}: image by image, the image is
 * unfolded into its patch matrix [patch, OH·OW] (row (c, ki, kj), column (oy, ox), entry
 * x[c, oy·s − p + ki, ox·s − p + kj] or 0 in the padding) with plain bounds-checked loops, and the
 * products go through the scalar GEMM. Single-threaded; each call allocates one image's patch
 * matrix (outside its loops).
 */
final class ScalarConvolution {
    private ScalarConvolution() {
    }

    static void forward(Kernels k, ConvGeometry g, float[] x, float[] w, float[] bias, float[] y) {
        int out = g.outChannels();
        int patch = g.patch();
        int plane = g.outHeight() * g.outWidth();
        int inSize = g.inChannels() * g.height() * g.width();
        float[] cols = new float[patch * plane];
        for (int n = 0; n < g.batch(); n++) {
            im2col(g, x, n * inSize, cols);
            int yOff = n * out * plane;
            k.gemm(false, false, out, plane, patch, 1f, w, 0, patch, cols, 0, plane, 0f, y, yOff, plane);
            if (bias != null) {
                for (int o = 0; o < out; o++) {
                    for (int i = 0; i < plane; i++) y[yOff + o * plane + i] += bias[o];
                }
            }
        }
    }

    static void backwardInput(Kernels k, ConvGeometry g, float[] gy, float[] w, float[] bias, float[] gx) {
        int out = g.outChannels();
        int patch = g.patch();
        int plane = g.outHeight() * g.outWidth();
        int inPlane = g.height() * g.width();
        int inSize = g.inChannels() * inPlane;
        float[] cols = new float[patch * plane];
        for (int n = 0; n < g.batch(); n++) {
            k.gemm(true, false, patch, plane, out, 1f, w, 0, patch, gy, n * out * plane, plane, 0f, cols, 0, plane);
            for (int c = 0; c < g.inChannels(); c++) {
                java.util.Arrays.fill(gx, n * inSize + c * inPlane, n * inSize + (c + 1) * inPlane, bias == null ? 0f : bias[c]);
            }
            col2im(g, cols, gx, n * inSize);
        }
    }

    static void backwardWeight(Kernels k, ConvGeometry g, float[] x, float[] gy, float beta, float[] gw) {
        int out = g.outChannels();
        int patch = g.patch();
        int plane = g.outHeight() * g.outWidth();
        int inSize = g.inChannels() * g.height() * g.width();
        float[] cols = new float[patch * plane];
        for (int n = 0; n < g.batch(); n++) {
            im2col(g, x, n * inSize, cols);
            k.gemm(false, true, out, patch, plane, 1f, gy, n * out * plane, plane, cols, 0, plane,
                    n == 0 ? beta : 1f, gw, 0, patch);
        }
    }

    /** Writes the patch matrix of the image at {@code xOff} into {@code cols}. */
    private static void im2col(ConvGeometry g, float[] x, int xOff, float[] cols) {
        int k = g.kernel();
        int oh = g.outHeight();
        int ow = g.outWidth();
        int i = 0;
        for (int c = 0; c < g.inChannels(); c++) {
            for (int ki = 0; ki < k; ki++) {
                for (int kj = 0; kj < k; kj++) {
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * g.stride() - g.padding() + ki;
                        for (int ox = 0; ox < ow; ox++, i++) {
                            int ix = ox * g.stride() - g.padding() + kj;
                            boolean inside = iy >= 0 && iy < g.height() && ix >= 0 && ix < g.width();
                            cols[i] = inside ? x[xOff + (c * g.height() + iy) * g.width() + ix] : 0f;
                        }
                    }
                }
            }
        }
    }

    /** Adds a patch matrix back into the image at {@code xOff}, dropping the padding's entries. */
    private static void col2im(ConvGeometry g, float[] cols, float[] x, int xOff) {
        int k = g.kernel();
        int oh = g.outHeight();
        int ow = g.outWidth();
        int i = 0;
        for (int c = 0; c < g.inChannels(); c++) {
            for (int ki = 0; ki < k; ki++) {
                for (int kj = 0; kj < k; kj++) {
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * g.stride() - g.padding() + ki;
                        for (int ox = 0; ox < ow; ox++, i++) {
                            int ix = ox * g.stride() - g.padding() + kj;
                            if (iy >= 0 && iy < g.height() && ix >= 0 && ix < g.width()) {
                                x[xOff + (c * g.height() + iy) * g.width() + ix] += cols[i];
                            }
                        }
                    }
                }
            }
        }
    }
}
