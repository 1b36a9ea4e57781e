package dev.regula.gan.features;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The differentiable face feature extractor φ of the prior-guided penalty: a fixed (not learned)
 * map from an RGB image in [−1, 1] to a short vector of colour, shape and texture statistics of a
 * centred face. Being fixed and smooth, it cannot be fooled by high-frequency patterns the way a
 * penalty through a learned classifier can.
 *
 * <p>Images are [N, 3, S, S] (channels R, G, B; rows top to bottom; columns left to right, "left"
 * meaning the left of the image). Regions are rectangles given as fractions of S, rounded to
 * pixels (each at least one pixel wide), so every image size from 8 up works the same way:
 * <table>
 *   <caption>Regions (x = column, y = row, as fractions of the image size)</caption>
 *   <tr><th>region</th><th>x</th><th>y</th></tr>
 *   <tr><td>hair</td><td>[0.20, 0.80)</td><td>[0.04, 0.22)</td></tr>
 *   <tr><td>forehead (face centre)</td><td>[0.35, 0.65)</td><td>[0.24, 0.36)</td></tr>
 *   <tr><td>eye_left</td><td>[0.24, 0.46)</td><td>[0.36, 0.50)</td></tr>
 *   <tr><td>eye_right</td><td>[0.54, 0.76)</td><td>[0.36, 0.50)</td></tr>
 *   <tr><td>mouth</td><td>[0.34, 0.66)</td><td>[0.62, 0.80)</td></tr>
 *   <tr><td>cheeks</td><td>[0.20, 0.34) ∪ [0.66, 0.80)</td><td>[0.50, 0.64)</td></tr>
 *   <tr><td>background</td><td>the four corner squares of side 0.14</td><td></td></tr>
 *   <tr><td>eyes (band)</td><td>[0.20, 0.80)</td><td>[0.34, 0.52)</td></tr>
 * </table>
 *
 * <p>Features, in the order of {@link #names()} (Y = 0.299·R + 0.587·G + 0.114·B is the
 * luminance, ε = {@value #EPSILON}; every feature is O(1)):
 * <ul>
 *   <li>{@code <region>.r}, {@code .g}, {@code .b} for the seven regions hair, forehead, eye_left,
 *       eye_right, mouth, cheeks, background: the mean of each channel, in [−1, 1];</li>
 *   <li>{@code brightness}: mean of Y over the image, in [−1, 1];</li>
 *   <li>{@code contrast}: √(var Y + ε) − √ε over the image (0 for a solid colour, at most 1);</li>
 *   <li>{@code symmetry}: √(m + ε) − √ε where m is the mean squared difference between the image
 *       and its left–right mirror over all channels (0 for a symmetric image, at most 2);</li>
 *   <li>{@code edges.dx}, {@code edges.dy}: √(m + ε) − √ε with m the mean squared horizontal
 *       (vertical) finite difference of Y over the image (texture energy; 0 for a flat image);</li>
 *   <li>{@code eyes.dx}, {@code eyes.dy}, {@code eyes.contrast}: the same differences and the
 *       luminance spread inside the eye band (glasses add frames: edges and contrast);</li>
 *   <li>{@code mouth.dx}, {@code mouth.dy}, {@code mouth.contrast}: the same in the mouth region
 *       (vertical structure of the mouth line);</li>
 *   <li>{@code mouth.curve}: a signed curvature filter on Y of the mouth region split into three
 *       columns and two rows: ½·[(Y lower corners − Y upper corners) + (Y upper centre − Y lower centre)],
 *       each term a mean. A dark U (smile) makes it positive, a dark ∩ (frown) negative; in [−2, 2].</li>
 * </ul>
 * The roots (instead of the mean squares themselves) keep texture statistics on the same scale as
 * the colours; ε keeps them differentiable at a flat image, where their gradient is 0.
 *
 * <p>Immutable and thread-safe: all index tables are built once by the constructor, and
 * {@link #extract} and {@link #backward} only allocate their result and one S×S scratch plane.
 */
public final class FaceFeatures {
    /** The ε inside the square roots of the spread and roughness features. */
    public static final double EPSILON = 1e-3;

    private static final double SQRT_EPSILON = Math.sqrt(EPSILON);
    private static final float[] LUMA = {0.299f, 0.587f, 0.114f};
    private static final String[] REGIONS = {"hair", "forehead", "eye_left", "eye_right", "mouth", "cheeks", "background"};
    private static final String[] CHANNELS = {"r", "g", "b"};

    private final int size;
    private final int plane;
    private final List<String> names;
    private final Feature[] features;

    /**
     * @param imageSize the side S of the square images, in [8, 4096]
     * @throws IllegalArgumentException if the size is outside that range
     */
    public FaceFeatures(int imageSize) {
        if (imageSize < 8 || imageSize > 4096) {
            throw new IllegalArgumentException("face features need an image size in [8, 4096], got " + imageSize);
        }
        this.size = imageSize;
        this.plane = imageSize * imageSize;
        List<String> n = new ArrayList<>();
        List<Feature> f = new ArrayList<>();
        int[][] regions = {
            rect(0.20, 0.80, 0.04, 0.22),
            rect(0.35, 0.65, 0.24, 0.36),
            rect(0.24, 0.46, 0.36, 0.50),
            rect(0.54, 0.76, 0.36, 0.50),
            rect(0.34, 0.66, 0.62, 0.80),
            union(rect(0.20, 0.34, 0.50, 0.64), rect(0.66, 0.80, 0.50, 0.64)),
            union(union(rect(0, 0.14, 0, 0.14), rect(0.86, 1, 0, 0.14)),
                  union(rect(0, 0.14, 0.86, 1), rect(0.86, 1, 0.86, 1))),
        };
        for (int r = 0; r < REGIONS.length; r++) {
            for (int c = 0; c < 3; c++) {
                n.add(REGIONS[r] + "." + CHANNELS[c]);
                f.add(new ChannelMean(regions[r], c * plane));
            }
        }
        int[] all = rect(0, 1, 0, 1);
        n.add("brightness");
        f.add(new LumaLinear(all, uniform(all.length, 1.0)));
        n.add("contrast");
        f.add(new LumaSpread(all));
        n.add("symmetry");
        f.add(mirrorRoughness());
        n.add("edges.dx");
        f.add(roughness(all, 1, 0, false));
        n.add("edges.dy");
        f.add(roughness(all, 0, 1, false));
        int[] eyes = rect(0.20, 0.80, 0.34, 0.52);
        n.add("eyes.dx");
        f.add(roughness(eyes, 1, 0, true));
        n.add("eyes.dy");
        f.add(roughness(eyes, 0, 1, true));
        n.add("eyes.contrast");
        f.add(new LumaSpread(eyes));
        int[] mouth = regions[4];
        n.add("mouth.dx");
        f.add(roughness(mouth, 1, 0, true));
        n.add("mouth.dy");
        f.add(roughness(mouth, 0, 1, true));
        n.add("mouth.contrast");
        f.add(new LumaSpread(mouth));
        n.add("mouth.curve");
        f.add(mouthCurve(0.34, 0.66, 0.62, 0.80));
        this.names = List.copyOf(n);
        this.features = f.toArray(Feature[]::new);
    }

    /** @return the image side S this extractor was built for */
    public int imageSize() {
        return size;
    }

    /** @return the number of features D */
    public int dimension() {
        return features.length;
    }

    /** @return one readable name per feature, in output order, e.g. {@code hair.r}, {@code mouth.curve} */
    public List<String> names() {
        return names;
    }

    /**
     * Computes φ for a batch.
     *
     * @param images shape [N, 3, S, S], values nominally in [−1, 1]
     * @return the features, shape [N, D]
     * @throws ShapeMismatchException if the images do not have shape [N, 3, S, S]
     */
    public Tensor extract(Tensor images) {
        int n = checkImages(images);
        Tensor out = Tensor.zeros(n, features.length);
        float[] x = images.data();
        float[] o = out.data();
        float[] luma = new float[plane];
        double[] one = new double[features.length];
        for (int i = 0; i < n; i++) {
            features(x, i * 3 * plane, luma, one);
            for (int d = 0; d < one.length; d++) o[i * one.length + d] = (float) one[d];
        }
        return out;
    }

    /**
     * The exact gradient of Σ_{n,d} gradFeatures[n, d]·φ(images)[n, d] with respect to the images.
     *
     * @param images shape [N, 3, S, S]
     * @param gradFeatures shape [N, D]
     * @return ∂/∂images, shape [N, 3, S, S] (a new tensor)
     * @throws ShapeMismatchException if a shape is wrong
     */
    public Tensor backward(Tensor images, Tensor gradFeatures) {
        Tensor grad = Tensor.zeros(images.shape());
        accumulateGradient(images, gradFeatures, grad);
        return grad;
    }

    /**
     * Like {@link #backward} but adds the gradient into an existing tensor, for callers that
     * accumulate several terms without another image-sized allocation.
     *
     * @param images shape [N, 3, S, S]
     * @param gradFeatures shape [N, D]
     * @param gradImages shape [N, 3, S, S]; the gradient is added to it
     * @throws ShapeMismatchException if a shape is wrong
     */
    public void accumulateGradient(Tensor images, Tensor gradFeatures, Tensor gradImages) {
        int n = checkImages(images);
        images.requireSameShape(gradImages, "face features: gradImages");
        if (gradFeatures.rank() != 2 || gradFeatures.dim(0) != n || gradFeatures.dim(1) != features.length) {
            throw new ShapeMismatchException("face features: gradFeatures must have shape [" + n + ", " + features.length
                    + "], got " + Arrays.toString(gradFeatures.shape()));
        }
        float[] x = images.data();
        float[] g = gradFeatures.data();
        float[] out = gradImages.data();
        float[] luma = new float[plane];
        float[] gradLuma = new float[plane];
        int d = features.length;
        for (int i = 0; i < n; i++) {
            int off = i * 3 * plane;
            luminance(x, off, luma);
            Arrays.fill(gradLuma, 0f);
            for (int k = 0; k < d; k++) {
                double gk = g[i * d + k];
                if (gk != 0) features[k].backward(x, off, luma, gk, out, gradLuma);
            }
            for (int c = 0; c < 3; c++) {
                float w = LUMA[c];
                int base = off + c * plane;
                for (int p = 0; p < plane; p++) out[base + p] += w * gradLuma[p];
            }
        }
    }

    /** Features of one image in double precision (the reference of the gradient tests). */
    void features(float[] x, int off, float[] luma, double[] out) {
        luminance(x, off, luma);
        for (int k = 0; k < features.length; k++) out[k] = features[k].value(x, off, luma);
    }

    private int checkImages(Tensor images) {
        Objects.requireNonNull(images, "images");
        if (images.rank() != 4 || images.dim(1) != 3 || images.dim(2) != size || images.dim(3) != size) {
            throw new ShapeMismatchException("face features: images must have shape [N, 3, " + size + ", " + size
                    + "], got " + Arrays.toString(images.shape()));
        }
        return images.dim(0);
    }

    private void luminance(float[] x, int off, float[] luma) {
        for (int p = 0; p < plane; p++) {
            luma[p] = LUMA[0] * x[off + p] + LUMA[1] * x[off + plane + p] + LUMA[2] * x[off + 2 * plane + p];
        }
    }

    // ---- region tables ----

    private int[] rect(double x0, double x1, double y0, double y1) {
        int c0 = (int) Math.round(x0 * size);
        int c1 = Math.max(c0 + 1, (int) Math.round(x1 * size));
        int r0 = (int) Math.round(y0 * size);
        int r1 = Math.max(r0 + 1, (int) Math.round(y1 * size));
        c1 = Math.min(c1, size);
        r1 = Math.min(r1, size);
        int[] p = new int[(c1 - c0) * (r1 - r0)];
        int k = 0;
        for (int r = r0; r < r1; r++) {
            for (int c = c0; c < c1; c++) p[k++] = r * size + c;
        }
        return p;
    }

    private static int[] union(int[] a, int[] b) {
        return java.util.stream.IntStream.concat(Arrays.stream(a), Arrays.stream(b)).distinct().sorted().toArray();
    }

    private static double[] uniform(int n, double total) {
        double[] w = new double[n];
        Arrays.fill(w, total / n);
        return w;
    }

    /** Pairs (p, p + (dx, dy)) with both pixels inside the region, restricted to the region when asked. */
    private Roughness roughness(int[] region, int dx, int dy, boolean inside) {
        boolean[] in = new boolean[plane];
        for (int p : region) in[p] = true;
        int[] a = new int[region.length];
        int[] b = new int[region.length];
        int k = 0;
        for (int p : region) {
            int r = p / size + dy;
            int c = p % size + dx;
            if (r >= size || c >= size) continue;
            int q = r * size + c;
            if (inside && !in[q]) continue;
            a[k] = p;
            b[k] = q;
            k++;
        }
        return new Roughness(Arrays.copyOf(a, k), Arrays.copyOf(b, k), false);
    }

    /** Pairs (c, y, x) and (c, y, S−1−x) for x < S/2 over the three channels: the mirror difference. */
    private Roughness mirrorRoughness() {
        int half = size / 2;
        int n = 3 * size * half;
        int[] a = new int[n];
        int[] b = new int[n];
        int k = 0;
        for (int c = 0; c < 3; c++) {
            for (int r = 0; r < size; r++) {
                for (int x = 0; x < half; x++) {
                    a[k] = c * plane + r * size + x;
                    b[k] = c * plane + r * size + (size - 1 - x);
                    k++;
                }
            }
        }
        return new Roughness(a, b, true);
    }

    private LumaLinear mouthCurve(double x0, double x1, double y0, double y1) {
        double w = (x1 - x0) / 3;
        double h = (y1 - y0) / 2;
        int[] upperCorners = union(rect(x0, x0 + w, y0, y0 + h), rect(x1 - w, x1, y0, y0 + h));
        int[] lowerCorners = union(rect(x0, x0 + w, y0 + h, y1), rect(x1 - w, x1, y0 + h, y1));
        int[] upperCentre = rect(x0 + w, x1 - w, y0, y0 + h);
        int[] lowerCentre = rect(x0 + w, x1 - w, y0 + h, y1);
        // Sum the weights per pixel, so regions that share a pixel (tiny images) stay exact.
        double[] weight = new double[plane];
        int[][] parts = {lowerCorners, upperCorners, upperCentre, lowerCentre};
        double[] sign = {0.5, -0.5, 0.5, -0.5};
        for (int i = 0; i < parts.length; i++) {
            for (int p : parts[i]) weight[p] += sign[i] / parts[i].length;
        }
        int count = 0;
        for (double v : weight) if (v != 0) count++;
        int[] pixels = new int[count];
        double[] w2 = new double[count];
        int k = 0;
        for (int p = 0; p < plane; p++) {
            if (weight[p] != 0) {
                pixels[k] = p;
                w2[k++] = weight[p];
            }
        }
        return new LumaLinear(pixels, w2);
    }

    // ---- feature kinds ----

    /** One scalar feature of one image and its gradient. */
    private sealed interface Feature permits ChannelMean, LumaLinear, LumaSpread, Roughness {
        /** @return the feature of the image at {@code off}, given its luminance plane */
        double value(float[] x, int off, float[] luma);

        /** Adds g·∂feature/∂x to {@code gradImage} (at {@code off}) or g·∂feature/∂Y to {@code gradLuma}. */
        void backward(float[] x, int off, float[] luma, double g, float[] gradImage, float[] gradLuma);
    }

    /** Mean of one channel over a set of pixels. */
    private record ChannelMean(int[] pixels, int channelOffset) implements Feature {
        @Override
        public double value(float[] x, int off, float[] luma) {
            double s = 0;
            int base = off + channelOffset;
            for (int p : pixels) s += x[base + p];
            return s / pixels.length;
        }

        @Override
        public void backward(float[] x, int off, float[] luma, double g, float[] gradImage, float[] gradLuma) {
            float d = (float) (g / pixels.length);
            int base = off + channelOffset;
            for (int p : pixels) gradImage[base + p] += d;
        }
    }

    /** A fixed linear filter on the luminance: Σ w_k·Y[p_k]. */
    private record LumaLinear(int[] pixels, double[] weights) implements Feature {
        @Override
        public double value(float[] x, int off, float[] luma) {
            double s = 0;
            for (int k = 0; k < pixels.length; k++) s += weights[k] * luma[pixels[k]];
            return s;
        }

        @Override
        public void backward(float[] x, int off, float[] luma, double g, float[] gradImage, float[] gradLuma) {
            for (int k = 0; k < pixels.length; k++) gradLuma[pixels[k]] += (float) (g * weights[k]);
        }
    }

    /** √(var Y + ε) − √ε over a set of pixels (population variance). */
    private record LumaSpread(int[] pixels) implements Feature {
        private double mean(float[] luma) {
            double s = 0;
            for (int p : pixels) s += luma[p];
            return s / pixels.length;
        }

        private double variance(float[] luma, double mean) {
            double s = 0;
            for (int p : pixels) {
                double d = luma[p] - mean;
                s += d * d;
            }
            return s / pixels.length;
        }

        @Override
        public double value(float[] x, int off, float[] luma) {
            return Math.sqrt(variance(luma, mean(luma)) + EPSILON) - SQRT_EPSILON;
        }

        @Override
        public void backward(float[] x, int off, float[] luma, double g, float[] gradImage, float[] gradLuma) {
            double mean = mean(luma);
            double root = Math.sqrt(variance(luma, mean) + EPSILON);
            // d var / d Y_p = 2 (Y_p − mean) / K (the mean's own derivative sums to zero).
            double scale = g / (root * pixels.length);
            for (int p : pixels) gradLuma[p] += (float) (scale * (luma[p] - mean));
        }
    }

    /**
     * √(m + ε) − √ε with m the mean of (v[a_k] − v[b_k])², v the luminance plane or, when
     * {@code onImage}, the image itself (indices relative to the image's first channel).
     */
    private record Roughness(int[] a, int[] b, boolean onImage) implements Feature {
        private double meanSquare(float[] v, int base) {
            double s = 0;
            for (int k = 0; k < a.length; k++) {
                double d = v[base + a[k]] - v[base + b[k]];
                s += d * d;
            }
            return a.length == 0 ? 0 : s / a.length;
        }

        @Override
        public double value(float[] x, int off, float[] luma) {
            double m = onImage ? meanSquare(x, off) : meanSquare(luma, 0);
            return Math.sqrt(m + EPSILON) - SQRT_EPSILON;
        }

        @Override
        public void backward(float[] x, int off, float[] luma, double g, float[] gradImage, float[] gradLuma) {
            if (a.length == 0) return;
            float[] v = onImage ? x : luma;
            float[] out = onImage ? gradImage : gradLuma;
            int base = onImage ? off : 0;
            double root = Math.sqrt(meanSquare(v, base) + EPSILON);
            // d/dv of sqrt(m + ε) = (1 / (2 root)) · (2 / K) Σ d_k (e_a − e_b).
            double scale = g / (root * a.length);
            for (int k = 0; k < a.length; k++) {
                float d = (float) (scale * (v[base + a[k]] - v[base + b[k]]));
                out[base + a[k]] += d;
                out[base + b[k]] -= d;
            }
        }
    }
}
