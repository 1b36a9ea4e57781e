package dev.regula.core.kernels;

import dev.regula.api.kernels.PoolGeometry;
import java.util.Arrays;

/**
 * The reference pooling kernels of {@link ScalarKernels}: plane by plane (one channel of one
 * example), output pixel by output pixel, the window read in row-major order. Single-threaded,
 * allocation-free.
 */
final class ScalarPooling {
    private ScalarPooling() {
    }

    static void max(PoolGeometry g, float[] in, float[] out, int[] idx) {
        int h = g.height();
        int w = g.width();
        int oh = g.outHeight();
        int ow = g.outWidth();
        int k = g.kernel();
        int st = g.stride();
        for (int p = 0; p < g.planes(); p++) {
            int ib = p * h * w;
            int ob = p * oh * ow;
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    int best = ib + y * st * w + x * st;
                    float m = in[best];
                    for (int dy = 0; dy < k; dy++) {
                        int row = ib + (y * st + dy) * w + x * st;
                        for (int dx = 0; dx < k; dx++) {
                            float v = in[row + dx];
                            if (v > m || Float.isNaN(v) && !Float.isNaN(m)) {
                                m = v;
                                best = row + dx;
                            }
                        }
                    }
                    out[ob + y * ow + x] = m;
                    if (idx != null) idx[ob + y * ow + x] = best;
                }
            }
        }
    }

    static void maxBackward(PoolGeometry g, float[] gy, int[] idx, float[] gx) {
        Arrays.fill(gx, 0, g.inputSize(), 0f);
        for (int i = 0; i < g.outputSize(); i++) gx[idx[i]] += gy[i];
    }

    static void avg(PoolGeometry g, float[] in, float[] out) {
        int h = g.height();
        int w = g.width();
        int oh = g.outHeight();
        int ow = g.outWidth();
        int k = g.kernel();
        int st = g.stride();
        float scale = 1f / (k * k);
        for (int p = 0; p < g.planes(); p++) {
            int ib = p * h * w;
            int ob = p * oh * ow;
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    float sum = 0f;
                    for (int dy = 0; dy < k; dy++) {
                        int row = ib + (y * st + dy) * w + x * st;
                        for (int dx = 0; dx < k; dx++) sum += in[row + dx];
                    }
                    out[ob + y * ow + x] = sum * scale;
                }
            }
        }
    }

    static void avgBackward(PoolGeometry g, float[] gy, float[] gx) {
        int h = g.height();
        int w = g.width();
        int oh = g.outHeight();
        int ow = g.outWidth();
        int k = g.kernel();
        int st = g.stride();
        float scale = 1f / (k * k);
        Arrays.fill(gx, 0, g.inputSize(), 0f);
        for (int p = 0; p < g.planes(); p++) {
            int ib = p * h * w;
            int ob = p * oh * ow;
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    float v = gy[ob + y * ow + x] * scale;
                    for (int dy = 0; dy < k; dy++) {
                        int row = ib + (y * st + dy) * w + x * st;
                        for (int dx = 0; dx < k; dx++) gx[row + dx] += v;
                    }
                }
            }
        }
    }
}
