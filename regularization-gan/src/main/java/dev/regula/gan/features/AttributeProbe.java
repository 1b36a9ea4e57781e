package dev.regula.gan.features;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * The feature extractor φ of the limited face prior: a fixed linear probe that reads K named
 * attributes (for instance smiling, glasses, dark hair, pale skin) off an RGB face image.
 *
 * <p>φ_k(x) = w_k · v(x) + b_k, where v(x) is a fixed, low-resolution view of the image:
 * <ul>
 *   <li>the luminance Y = 0.299·R + 0.587·G + 0.114·B of the whole image average-pooled to 16×16
 *       (hair, skin, glasses), and</li>
 *   <li>the R, G and B values of the mouth region, x in [0.25, 0.75), y in [0.53, 0.875) of the side,
 *       at 32×32 resolution (the curve and colour of the lips are finer than the coarse view).</li>
 * </ul>
 * Reading luminance outside the mouth, the probe's gradient changes how light or dark a region is,
 * never its hue, so the penalty cannot tint a generated face.
 * The weights are fitted once by ridge regression (closed form, Cholesky) of the attribute values
 * on the views of real faces, then never change: φ is not trained with the GAN, so the generator
 * cannot co-adapt with it, and being linear in a pooled view its gradient with respect to the
 * image is smooth: it has no high-frequency directions a generator could exploit the way it can
 * fool a learned deep classifier. Its accuracy against the renderer's ground truth is tested.
 *
 * <p>Images are [N, 3, S, S] in [−1, 1] with S in {16, 32, 64}; φ is [N, K]. Immutable and
 * thread-safe.
 */
public final class AttributeProbe {
    /** Ridge strength of the fit, per example (so it does not depend on the number of faces). */
    public static final double RIDGE = 0.01;
    /** Side of the coarse view. */
    private static final int COARSE = 16;
    /** Resolution at which the mouth region is read. */
    private static final int FINE = 32;
    private static final double MOUTH_X0 = 0.25;
    private static final double MOUTH_X1 = 0.75;
    private static final double MOUTH_Y0 = 0.53;
    private static final double MOUTH_Y1 = 0.875;
    /** Luminance weights of R, G and B (ITU-R BT.601). */
    private static final float[] LUMA = {0.299f, 0.587f, 0.114f};
    private static final float[][] ONE_HOT = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};

    private final int size;
    private final List<String> names;
    /** For each view element, the pixels (index within one image) it averages. */
    private final int[][] sources;
    /** [K][V + 1] weights, the bias last. */
    private final float[][] weights;

    private final int coarseElements;

    /** Per attribute, the root-mean-square residual φ_k(x) − target of the faces it was fitted on. */
    private final double[] residualRms;

    private AttributeProbe(int size, List<String> names, float[][] weights, double[] residualRms) {
        this.size = size;
        this.names = List.copyOf(names);
        this.sources = views(size);
        int side = size / Math.max(1, size / COARSE);
        this.coarseElements = side * side;
        this.weights = weights;
        this.residualRms = residualRms;
    }

    /**
     * Fits the probe.
     *
     * @param images real faces [N, 3, S, S] in [−1, 1], S in {16, 32, 64}
     * @param targets their attribute values [N, K], one column per name (0/1 labels or continuous values)
     * @param names the K attribute names, in column order
     * @return the fitted probe
     * @throws ShapeMismatchException if the shapes do not fit
     * @throws IllegalArgumentException if there are fewer faces than 2 or no names
     */
    public static AttributeProbe fit(Tensor images, Tensor targets, List<String> names) {
        return fit(images, targets, names, RIDGE);
    }

    /**
     * Fits the probe with a given ridge strength.
     *
     * @param images real faces [N, 3, S, S] in [−1, 1], S in {16, 32, 64}
     * @param targets their attribute values [N, K]
     * @param names the K attribute names, in column order
     * @param ridge the ridge strength per example, &gt; 0: larger gives smoother, smaller weights
     * @return the fitted probe
     */
    public static AttributeProbe fit(Tensor images, Tensor targets, List<String> names, double ridge) {
        if (!(ridge > 0) || !Double.isFinite(ridge)) throw new IllegalArgumentException("ridge must be finite and > 0, got " + ridge);
        int size = checkSize(images);
        int n = images.dim(0);
        int k = names.size();
        if (k < 1) throw new IllegalArgumentException("the probe needs at least one attribute name");
        if (n < 2) throw new IllegalArgumentException("the probe needs at least 2 faces to fit, got " + n);
        if (targets.rank() != 2 || targets.dim(0) != n || targets.dim(1) != k) {
            throw new ShapeMismatchException("probe targets must have shape [" + n + ", " + k + "] for attributes " + names
                    + ", got " + Arrays.toString(targets.shape()));
        }
        AttributeProbe shape = new AttributeProbe(size, names, new float[k][], new double[k]);
        int v = shape.sources.length + 1;
        float[] x = images.data();
        float[][] rows = new float[n][];
        IntStream.range(0, n).parallel().forEach(i -> rows[i] = shape.view(x, i * 3 * size * size));
        // Normal equations in double, the upper triangle accumulated in parallel by row of A.
        double[][] a = new double[v][v];
        IntStream.range(0, v).parallel().forEach(p -> {
            double[] ap = a[p];
            for (float[] r : rows) {
                double rp = r[p];
                if (rp == 0) continue;
                for (int q = p; q < v; q++) ap[q] += rp * r[q];
            }
        });
        for (int p = 0; p < v; p++) {
            for (int q = 0; q < p; q++) a[p][q] = a[q][p];
            if (p < v - 1) a[p][p] += ridge * n; // the bias is not shrunk
        }
        double[][] l = cholesky(a);
        float[] t = targets.data();
        float[][] w = new float[k][];
        double[] residual = new double[k];
        for (int j = 0; j < k; j++) {
            double[] b = new double[v];
            for (int i = 0; i < n; i++) {
                double tj = t[i * k + j];
                float[] r = rows[i];
                for (int p = 0; p < v; p++) b[p] += r[p] * tj;
            }
            double[] sol = solve(l, b);
            w[j] = new float[v];
            for (int p = 0; p < v; p++) w[j][p] = (float) sol[p];
            double se = 0;
            for (int i = 0; i < n; i++) {
                double read = 0;
                for (int p = 0; p < v; p++) read += (double) w[j][p] * rows[i][p];
                se += (read - t[i * k + j]) * (read - t[i * k + j]);
            }
            residual[j] = Math.sqrt(se / n);
        }
        return new AttributeProbe(size, names, w, residual);
    }

    /** @return the image side S */
    public int imageSize() {
        return size;
    }

    /** @return the number of attributes K */
    public int dimension() {
        return names.size();
    }

    /**
     * @return per attribute, the root-mean-square residual φ_k(x) − target on the real faces the
     *     probe was fitted on: how far from its label a real face typically reads
     */
    public double[] residualRms() {
        return residualRms.clone();
    }

    /** @return the attribute names, in output order */
    public List<String> names() {
        return names;
    }

    /**
     * @param images [N, 3, S, S]
     * @return φ(images), [N, K]
     * @throws ShapeMismatchException if the images do not have shape [N, 3, S, S]
     */
    public Tensor extract(Tensor images) {
        int n = checkImages(images);
        int k = names.size();
        float[] x = images.data();
        Tensor out = Tensor.zeros(n, k);
        float[] o = out.data();
        int v = sources.length;
        for (int i = 0; i < n; i++) {
            float[] r = view(x, i * 3 * size * size);
            for (int j = 0; j < k; j++) {
                float[] wj = weights[j];
                double s = wj[v];
                for (int p = 0; p < v; p++) s += (double) wj[p] * r[p];
                o[i * k + j] = (float) s;
            }
        }
        return out;
    }

    /**
     * Adds ∂/∂images of Σ_{n,k} gradPhi[n, k]·φ(images)[n, k] into {@code gradImages} (φ is linear,
     * so the gradient does not depend on the images).
     *
     * @param gradPhi [N, K]
     * @param gradImages [N, 3, S, S]; the gradient is added to it
     * @throws ShapeMismatchException if a shape is wrong
     */
    public void accumulateGradient(Tensor gradPhi, Tensor gradImages) {
        int n = checkImages(gradImages);
        int k = names.size();
        if (gradPhi.rank() != 2 || gradPhi.dim(0) != n || gradPhi.dim(1) != k) {
            throw new ShapeMismatchException("attribute probe: gradPhi must have shape [" + n + ", " + k + "], got "
                    + Arrays.toString(gradPhi.shape()));
        }
        float[] g = gradPhi.data();
        float[] out = gradImages.data();
        int plane = size * size;
        for (int i = 0; i < n; i++) {
            int off = i * 3 * plane;
            for (int p = 0; p < sources.length; p++) {
                double s = 0;
                for (int j = 0; j < k; j++) s += (double) g[i * k + j] * weights[j][p];
                if (s == 0) continue;
                int[] src = sources[p];
                float[] w = channel(p);
                for (int c = 0; c < 3; c++) {
                    if (w[c] == 0) continue;
                    float share = (float) (s * w[c] / src.length);
                    int base = off + c * plane;
                    for (int q : src) out[base + q] += share;
                }
            }
        }
    }

    // ---- views ----

    /**
     * For each element of v(x), the pixel indices (within one channel plane) it averages; the
     * first {@code coarse} elements read luminance, the others one colour channel each (see {@link #channel}).
     */
    private static int[][] views(int size) {
        int coarse = Math.max(1, size / COARSE);
        int side = size / coarse;
        int fine = Math.max(1, size / FINE);
        int fx0 = (int) Math.round(MOUTH_X0 * size / fine);
        int fx1 = (int) Math.round(MOUTH_X1 * size / fine);
        int fy0 = (int) Math.round(MOUTH_Y0 * size / fine);
        int fy1 = (int) Math.round(MOUTH_Y1 * size / fine);
        int[][] s = new int[side * side + 3 * (fx1 - fx0) * (fy1 - fy0)][];
        int e = 0;
        for (int by = 0; by < side; by++) {
            for (int bx = 0; bx < side; bx++) s[e++] = block(size, bx * coarse, by * coarse, coarse);
        }
        for (int c = 0; c < 3; c++) {
            for (int by = fy0; by < fy1; by++) {
                for (int bx = fx0; bx < fx1; bx++) s[e++] = block(size, bx * fine, by * fine, fine);
            }
        }
        return s;
    }

    /**
     * @return the channel weights of view element p: luminance for the coarse view, one colour
     *     channel for the mouth view (in R, G, B blocks)
     */
    private float[] channel(int p) {
        if (p < coarseElements) return LUMA;
        return ONE_HOT[(p - coarseElements) / ((sources.length - coarseElements) / 3)];
    }

    private static int[] block(int size, int x0, int y0, int side) {
        int[] b = new int[side * side];
        int k = 0;
        for (int y = y0; y < y0 + side; y++) {
            for (int x = x0; x < x0 + side; x++) b[k++] = y * size + x;
        }
        return b;
    }

    /** v(x) of one image, with a trailing 1 for the bias. */
    private float[] view(float[] x, int off) {
        int plane = size * size;
        float[] r = new float[sources.length + 1];
        for (int p = 0; p < sources.length; p++) {
            float[] w = channel(p);
            float s = 0;
            for (int q : sources[p]) s += w[0] * x[off + q] + w[1] * x[off + plane + q] + w[2] * x[off + 2 * plane + q];
            r[p] = s / sources[p].length;
        }
        r[sources.length] = 1f;
        return r;
    }

    private static double[][] cholesky(double[][] a) {
        int v = a.length;
        double[][] l = new double[v][v];
        for (int i = 0; i < v; i++) {
            double[] li = l[i];
            for (int j = 0; j <= i; j++) {
                double[] lj = l[j];
                double s = a[i][j];
                for (int q = 0; q < j; q++) s -= li[q] * lj[q];
                if (i == j) {
                    if (!(s > 0)) throw new IllegalStateException("the probe's normal equations are not positive definite");
                    li[i] = Math.sqrt(s);
                } else {
                    li[j] = s / lj[j];
                }
            }
        }
        return l;
    }

    private static double[] solve(double[][] l, double[] b) {
        int v = b.length;
        double[] y = new double[v];
        for (int i = 0; i < v; i++) {
            double s = b[i];
            for (int j = 0; j < i; j++) s -= l[i][j] * y[j];
            y[i] = s / l[i][i];
        }
        double[] x = new double[v];
        for (int i = v - 1; i >= 0; i--) {
            double s = y[i];
            for (int j = i + 1; j < v; j++) s -= l[j][i] * x[j];
            x[i] = s / l[i][i];
        }
        return x;
    }

    private static int checkSize(Tensor images) {
        Objects.requireNonNull(images, "images");
        if (images.rank() != 4 || images.dim(1) != 3 || images.dim(2) != images.dim(3)
                || (images.dim(2) != 16 && images.dim(2) != 32 && images.dim(2) != 64)) {
            throw new ShapeMismatchException("attribute probe: images must have shape [N, 3, S, S] with S in {16, 32, 64}, got "
                    + Arrays.toString(images.shape()));
        }
        return images.dim(2);
    }

    private int checkImages(Tensor images) {
        Objects.requireNonNull(images, "images");
        if (images.rank() != 4 || images.dim(1) != 3 || images.dim(2) != size || images.dim(3) != size) {
            throw new ShapeMismatchException("attribute probe: images must have shape [N, 3, " + size + ", " + size + "], got "
                    + Arrays.toString(images.shape()));
        }
        return images.dim(0);
    }
}
