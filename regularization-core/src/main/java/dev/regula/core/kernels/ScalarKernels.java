package dev.regula.core.kernels;

import dev.regula.api.kernels.ConvGeometry;
import dev.regula.api.kernels.CounterRng;
import dev.regula.api.kernels.Kernels;
import dev.regula.api.kernels.PoolGeometry;

/**
 * The portable reference {@link Kernels}: plain Java loops written so that the JIT can
 * auto-vectorise the inner ones (unit stride, no branches). Single-threaded, thread-safe,
 * allocation-free but for the convolutions (one image's patch matrix per call, {@code ScalarConvolution}); pooling is {@code ScalarPooling}. Reductions accumulate in double. The activation kernels (leaky ReLU, tanh,
 * sigmoid and their derivatives) and the other defaults are {@link Kernels}' own reference loops.
 */
public final class ScalarKernels implements Kernels {
    /** Creates the kernels. */
    public ScalarKernels() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (beta == 0f) {
                java.util.Arrays.fill(c, ci, ci + n, 0f);
            } else if (beta != 1f) {
                for (int j = 0; j < n; j++) c[ci + j] *= beta;
            }
        }
        if (m == 0 || n == 0 || k == 0 || alpha == 0f) return;
        if (!transB) {
            // C[i,:] += alpha * A(i,p) * B[p,:]  (i-p-j order: unit stride inner loop)
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc;
                for (int p = 0; p < k; p++) {
                    float aip = alpha * (transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p]);
                    if (aip == 0f) continue;
                    int bp = bOff + p * ldb;
                    for (int j = 0; j < n; j++) c[ci + j] += aip * b[bp + j];
                }
            }
        } else {
            // C[i,j] += alpha * dot(A(i,:), B[j,:])
            float[] row = transA ? new float[k] : null;
            for (int i = 0; i < m; i++) {
                int ai;
                float[] arow;
                if (transA) {
                    for (int p = 0; p < k; p++) row[p] = a[aOff + p * lda + i];
                    arow = row;
                    ai = 0;
                } else {
                    arow = a;
                    ai = aOff + i * lda;
                }
                int ci = cOff + i * ldc;
                for (int j = 0; j < n; j++) {
                    int bj = bOff + j * ldb;
                    float s = 0f;
                    for (int p = 0; p < k; p++) s += arow[ai + p] * b[bj + p];
                    c[ci + j] += alpha * s;
                }
            }
        }
    }

    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) y[yOff + i] += alpha * x[xOff + i];
    }

    @Override
    public void scale(int n, float alpha, float[] x, int off) {
        for (int i = 0; i < n; i++) x[off + i] *= alpha;
    }

    @Override
    public double dot(int n, float[] x, int xOff, float[] y, int yOff) {
        double s = 0;
        for (int i = 0; i < n; i++) s += (double) x[xOff + i] * y[yOff + i];
        return s;
    }

    @Override
    public double sumSquares(int n, float[] x, int off) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double v = x[off + i];
            s += v * v;
        }
        return s;
    }

    @Override
    public double sumAbs(int n, float[] x, int off) {
        double s = 0;
        for (int i = 0; i < n; i++) s += Math.abs(x[off + i]);
        return s;
    }

    @Override
    public float maxAbs(int n, float[] x, int off) {
        float m = 0f;
        for (int i = 0; i < n; i++) m = Math.max(m, Math.abs(x[off + i]));
        return m;
    }

    @Override
    public void addScaledSign(int n, float alpha, float[] x, int xOff, float[] g, int gOff) {
        for (int i = 0; i < n; i++) g[gOff + i] += alpha * Math.signum(x[xOff + i]);
    }

    @Override
    public void softThreshold(int n, float t, float[] x, int off) {
        for (int i = 0; i < n; i++) {
            float v = x[off + i];
            float a = Math.abs(v) - t;
            x[off + i] = a > 0f ? Math.copySign(a, v) : 0f;
        }
    }

    @Override
    public void clamp(int n, float lo, float hi, float[] x, int off) {
        for (int i = 0; i < n; i++) x[off + i] = Math.min(Math.max(x[off + i], lo), hi);
    }

    @Override
    public void relu(int n, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) y[yOff + i] = Math.max(x[xOff + i], 0f);
    }

    @Override
    public void reluBackward(int n, float[] x, float[] gOut, float[] gIn) {
        for (int i = 0; i < n; i++) gIn[i] = x[i] > 0f ? gOut[i] : 0f;
    }

    @Override
    public void addRowVector(int rows, int cols, float[] bias, float[] out) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            for (int c = 0; c < cols; c++) out[o + c] += bias[c];
        }
    }

    @Override
    public void addColumnSums(int rows, int cols, float[] x, float[] acc) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            for (int c = 0; c < cols; c++) acc[c] += x[o + c];
        }
    }

    @Override
    public void sgdMomentum(int n, float lr, float momentum, boolean nesterov, float[] p, float[] g, float[] v) {
        if (momentum == 0f) {
            for (int i = 0; i < n; i++) p[i] -= lr * g[i];
            return;
        }
        for (int i = 0; i < n; i++) {
            float vi = momentum * v[i] + g[i];
            v[i] = vi;
            p[i] -= lr * (nesterov ? g[i] + momentum * vi : vi);
        }
    }

    @Override
    public void adam(int n, float lr, float beta1, float beta2, float eps, float bc1, float bc2,
                     float[] p, float[] g, float[] m, float[] v) {
        float c1 = 1f - beta1;
        float c2 = 1f - beta2;
        float step = lr / bc1;
        float invBc2 = 1f / bc2;
        for (int i = 0; i < n; i++) {
            float gi = g[i];
            float mi = beta1 * m[i] + c1 * gi;
            float vi = beta2 * v[i] + c2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            p[i] -= step * mi / ((float) Math.sqrt(vi * invBc2) + eps);
        }
    }

    @Override
    public void dropout(int n, float p, long key, float[] x, float[] y, float[] mask) {
        float keep = 1f / (1f - p);
        for (int i = 0; i < n; i++) {
            float f = CounterRng.uniform(key, i) < p ? 0f : keep;
            mask[i] = f;
            y[i] = x[i] * f;
        }
    }

    @Override
    public void multiply(int n, float[] x, float[] y, float[] z) {
        for (int i = 0; i < n; i++) z[i] = x[i] * y[i];
    }

    @Override
    public void softmaxRows(int rows, int cols, float[] x, float[] out) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) max = Math.max(max, x[o + c]);
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                float e = (float) Math.exp(x[o + c] - max);
                out[o + c] = e;
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            for (int c = 0; c < cols; c++) out[o + c] *= inv;
        }
    }

    @Override
    public void conv2d(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y) {
        ScalarConvolution.forward(this, g, x, w, bias, y);
    }

    @Override
    public void conv2dBackwardInput(ConvGeometry g, float[] gy, float[] w, float[] bias, float[] gx) {
        ScalarConvolution.backwardInput(this, g, gy, w, bias, gx);
    }

    @Override
    public void conv2dBackwardWeight(ConvGeometry g, float[] x, float[] gy, float beta, float[] gw) {
        ScalarConvolution.backwardWeight(this, g, x, gy, beta, gw);
    }

    @Override
    public void maxPool2d(PoolGeometry g, float[] x, float[] y, int[] argmax) {
        ScalarPooling.max(g, x, y, argmax);
    }

    @Override
    public void maxPool2dBackward(PoolGeometry g, float[] gy, int[] argmax, float[] gx) {
        ScalarPooling.maxBackward(g, gy, argmax, gx);
    }

    @Override
    public void avgPool2d(PoolGeometry g, float[] x, float[] y) {
        ScalarPooling.avg(g, x, y);
    }

    @Override
    public void avgPool2dBackward(PoolGeometry g, float[] gy, float[] gx) {
        ScalarPooling.avgBackward(g, gy, gx);
    }
}
