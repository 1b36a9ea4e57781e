package dev.regula.gan.faces;

import java.util.Objects;

/**
 * Draws a {@link FaceAttributes} as a small RGB image: background, shoulders, hair, ears, face,
 * fringe, eyebrows, eyes, nose, mouth and, when set, glasses.
 *
 * <p>Shapes are painted back to front; each pixel's coverage by a shape is measured on a
 * {@value #SAMPLES}×{@value #SAMPLES} grid of sub-pixel samples and blended as opacity, so edges
 * are anti-aliased and faces stay smooth at 32×32. Geometry is expressed in fractions of the
 * image side, so the same attributes give the same face at every size.
 *
 * <p>Rendering is a pure function of the attributes and the size: no randomness, no shared
 * mutable state, so one renderer may be used from several threads at once.
 */
public final class FaceRenderer {
    /** The default image side. */
    public static final int DEFAULT_SIZE = 32;

    /** The smallest supported image side. */
    public static final int MIN_SIZE = 16;

    /** The largest supported image side (a 3·size² image must fit an array). */
    public static final int MAX_SIZE = 4096;

    /** Sub-pixel samples per pixel along each axis. */
    public static final int SAMPLES = 4;

    // Colour ramps, stops at 0, 0.4, 0.6 and 1: steep around the 0.5 threshold of the binary
    // attribute, so that pale vs dark skin and light vs dark hair are clearly apart.
    private static final double[][] SKIN = {
        {1.00, 0.89, 0.80}, {0.94, 0.77, 0.64}, {0.68, 0.47, 0.33}, {0.38, 0.24, 0.15}};
    private static final double[][] HAIR = {
        {0.98, 0.89, 0.60}, {0.84, 0.64, 0.32}, {0.33, 0.21, 0.11}, {0.06, 0.05, 0.05}};
    private static final double[] STOPS = {0, 0.4, 0.6, 1};
    private static final float[] WHITE = {0.97f, 0.97f, 0.97f};
    private static final float[] IRIS = {0.10f, 0.07f, 0.06f};
    private static final float[] LIPS = {0.62f, 0.13f, 0.16f};
    private static final float[] FRAME = {0.04f, 0.04f, 0.06f};

    private final int size;

    /** Creates a renderer of {@value #DEFAULT_SIZE}×{@value #DEFAULT_SIZE} images. */
    public FaceRenderer() {
        this(DEFAULT_SIZE);
    }

    /**
     * @param size the image side in pixels, in {@code [16, 4096]} (32 and 64 are the sizes used)
     */
    public FaceRenderer(int size) {
        if (size < MIN_SIZE || size > MAX_SIZE) {
            throw new IllegalArgumentException("image size must be in [" + MIN_SIZE + ", " + MAX_SIZE + "], got " + size);
        }
        this.size = size;
    }

    /** @return the image side in pixels */
    public int size() {
        return size;
    }

    /** @return the number of floats one image takes: {@code 3·size·size} */
    public int imageLength() {
        return 3 * size * size;
    }

    /**
     * Renders one face into {@code out[offset, offset + 3·size²)} in CHW order (all red values,
     * then green, then blue; row-major within a channel), scaled from {@code [0, 1]} to
     * {@code [-1, 1]}. Nothing outside that range of {@code out} is touched.
     *
     * @param a the face
     * @param out the destination
     * @param offset the index of the first red value
     * @throws IndexOutOfBoundsException if the image does not fit in {@code out} at {@code offset}
     */
    public void render(FaceAttributes a, float[] out, int offset) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(out, "out");
        Objects.checkFromIndexSize(offset, imageLength(), out.length);
        new Canvas(out, offset, size).paint(a);
        for (int i = offset, end = offset + imageLength(); i < end; i++) out[i] = out[i] * 2f - 1f;
    }

    /**
     * Renders one face into a new array; see {@link #render(FaceAttributes, float[], int)}.
     *
     * @param a the face
     * @return {@code 3·size²} values in {@code [-1, 1]}, CHW
     */
    public float[] render(FaceAttributes a) {
        float[] out = new float[imageLength()];
        render(a, out, 0);
        return out;
    }

    /** A point test in image coordinates (fractions of the side; x right, y down). */
    @FunctionalInterface
    private interface Region {
        boolean contains(double x, double y);
    }

    /** Paints into one image of {@code out}, colours in [0, 1]. */
    private static final class Canvas {
        private final float[] out;
        private final int offset;
        private final int size;
        private final int plane;

        Canvas(float[] out, int offset, int size) {
            this.out = out;
            this.offset = offset;
            this.size = size;
            this.plane = size * size;
        }

        void paint(FaceAttributes a) {
            double f = a.scale();
            double cx = 0.5 + a.jitterX();
            double cy = 0.53 + a.jitterY();
            float[] skin = ramp(SKIN, a.skinTone());
            float[] skinShade = shade(skin, 0.82);
            float[] hair = ramp(HAIR, a.hairDarkness());
            float[] brows = shade(hair, 0.55 + 0.2 * a.hairDarkness());
            float[] bg = a.background();
            float[] shirt = {0.25f + 0.5f * bg[2], 0.2f + 0.45f * bg[0], 0.2f + 0.5f * bg[1]};

            fillAll(bg);

            // Shoulders and neck.
            ellipse(cx, cy + 0.56 * f, 0.40 * f, 0.22 * f, shirt);
            rect(cx - 0.085 * f, cy + 0.15 * f, cx + 0.085 * f, cy + 0.40 * f, skinShade);

            // Hair behind the head: an ellipse above and around the face, cut at jaw level.
            double fa = (0.21 + 0.07 * a.faceWidth()) * f; // face half-width
            double fb = 0.28 * f; // face half-height
            double hx = fa + 0.06 * f;
            double hy = fb + 0.03 * f;
            double hcy = cy - 0.05 * f;
            double hairBottom = cy + 0.14 * f;
            fill(box(cx - hx, hcy - hy, cx + hx, hairBottom), true,
                    (x, y) -> y <= hairBottom && inEllipse(x, y, cx, hcy, hx, hy), hair);

            // Ears, then the face.
            ellipse(cx - fa, cy + 0.01 * f, 0.035 * f, 0.06 * f, skinShade);
            ellipse(cx + fa, cy + 0.01 * f, 0.035 * f, 0.06 * f, skinShade);
            ellipse(cx, cy, fa, fb, skin);

            // Fringe: the part of the hair ellipse above a hairline that dips at the temples.
            double line = cy - 0.15 * f;
            double dip = 0.10 * f;
            fill(box(cx - hx, hcy - hy, cx + hx, line + dip), true,
                    (x, y) -> {
                        double t = (x - cx) / fa;
                        return y <= line + dip * Math.min(1, t * t) && inEllipse(x, y, cx, hcy, hx, hy);
                    }, hair);

            // Eyes, eyebrows, nose.
            double ey = cy - 0.02 * f;
            double ed = (0.075 + 0.045 * a.eyeSpacing()) * f;
            for (int side = -1; side <= 1; side += 2) {
                double ex = cx + side * ed;
                ellipse(ex, ey, 0.05 * f, 0.032 * f, WHITE);
                ellipse(ex, ey + 0.002 * f, 0.027 * f, 0.027 * f, IRIS);
                rect(ex - 0.048 * f, ey - 0.085 * f, ex + 0.048 * f, ey - 0.062 * f, brows);
            }
            ellipse(cx, cy + 0.065 * f, 0.022 * f, 0.04 * f, skinShade);

            // Mouth: a thick parabolic arc; the centre sags below the corners when smiling.
            mouth(cx, cy + 0.16 * f, 0.095 * f, 0.07 * f * a.mouthCurvature(), 0.03 * f);

            if (a.glasses()) {
                double r = 0.072 * f;
                double t = 0.022 * f;
                for (int side = -1; side <= 1; side += 2) {
                    double ex = cx + side * ed;
                    double in2 = (r - t / 2) * (r - t / 2);
                    double out2 = (r + t / 2) * (r + t / 2);
                    fill(box(ex - r - t, ey - r - t, ex + r + t, ey + r + t), false, (x, y) -> {
                        double d2 = (x - ex) * (x - ex) + (y - ey) * (y - ey);
                        return d2 >= in2 && d2 <= out2;
                    }, FRAME);
                    // temple arm from the outer rim to the side of the face
                    double inner = ex + side * r;
                    double outer = cx + side * fa;
                    rect(Math.min(inner, outer), ey - t / 2 - 0.01 * f, Math.max(inner, outer), ey + t / 2 - 0.01 * f, FRAME);
                }
                rect(cx - ed + r, ey - 0.01 * f - t / 2, cx + ed - r, ey - 0.01 * f + t / 2, FRAME);
            }
        }

        private void mouth(double mx, double my, double halfWidth, double sag, double thickness) {
            double half = thickness / 2;
            double cornerY = my - sag / 2;
            double centreY = my + sag / 2;
            fill(box(mx - halfWidth - half, Math.min(cornerY, centreY) - half,
                            mx + halfWidth + half, Math.max(cornerY, centreY) + half),
                    false, (x, y) -> {
                        double t = (x - mx) / halfWidth;
                        if (Math.abs(t) > 1) {
                            double ex = mx + Math.copySign(halfWidth, t);
                            return (x - ex) * (x - ex) + (y - cornerY) * (y - cornerY) <= half * half;
                        }
                        double yc = cornerY + sag * (1 - t * t);
                        double slope = -2 * sag * t / halfWidth;
                        return Math.abs(y - yc) <= half * Math.sqrt(1 + slope * slope);
                    }, LIPS);
        }

        private void fillAll(float[] c) {
            for (int ch = 0; ch < 3; ch++) {
                java.util.Arrays.fill(out, offset + ch * plane, offset + (ch + 1) * plane, c[ch]);
            }
        }

        private void ellipse(double ex, double ey, double rx, double ry, float[] c) {
            fill(box(ex - rx, ey - ry, ex + rx, ey + ry), isLarge(rx, ry), (x, y) -> inEllipse(x, y, ex, ey, rx, ry), c);
        }

        private void rect(double x0, double y0, double x1, double y1, float[] c) {
            fill(box(x0, y0, x1, y1), isLarge((x1 - x0) / 2, (y1 - y0) / 2), (x, y) -> x >= x0 && x <= x1 && y >= y0 && y <= y1, c);
        }

        /** @return true if a shape of these half-extents is at least two pixels across: no sub-pixel detail */
        private boolean isLarge(double halfWidth, double halfHeight) {
            return Math.min(halfWidth, halfHeight) * size >= 1;
        }

        /** The pixel rectangle {x0, y0, x1, y1} (inclusive) that covers a box in image coordinates. */
        private int[] box(double x0, double y0, double x1, double y1) {
            return new int[] {
                Math.max(0, (int) Math.floor(x0 * size)), Math.max(0, (int) Math.floor(y0 * size)),
                Math.min(size - 1, (int) Math.floor(x1 * size)), Math.min(size - 1, (int) Math.floor(y1 * size))};
        }

        /**
         * Blends colour {@code c} over every pixel of {@code box} with the covered fraction as
         * opacity. A {@code smooth} region has no detail smaller than a pixel (large ellipses,
         * rectangles): a pixel whose four corners agree is then entirely in or out of it, and
         * its sub-pixel samples are skipped.
         */
        private void fill(int[] box, boolean smooth, Region region, float[] c) {
            double step = 1.0 / (SAMPLES * size);
            double pixel = 1.0 / size;
            double inv = 1.0 / (SAMPLES * SAMPLES);
            for (int py = box[1]; py <= box[3]; py++) {
                for (int px = box[0]; px <= box[2]; px++) {
                    int corners = -1;
                    if (smooth) {
                        double x0 = px * pixel, y0 = py * pixel, x1 = x0 + pixel, y1 = y0 + pixel;
                        corners = (region.contains(x0, y0) ? 1 : 0) + (region.contains(x1, y0) ? 1 : 0)
                                + (region.contains(x0, y1) ? 1 : 0) + (region.contains(x1, y1) ? 1 : 0);
                        if (corners == 0) continue;
                    }
                    int hits = corners == 4 ? SAMPLES * SAMPLES : 0;
                    for (int sy = 0; corners != 4 && sy < SAMPLES; sy++) {
                        double y = (py * SAMPLES + sy + 0.5) * step;
                        for (int sx = 0; sx < SAMPLES; sx++) {
                            if (region.contains((px * SAMPLES + sx + 0.5) * step, y)) hits++;
                        }
                    }
                    if (hits == 0) continue;
                    float alpha = (float) (hits * inv);
                    int i = offset + py * size + px;
                    for (int ch = 0; ch < 3; ch++) {
                        int j = i + ch * plane;
                        out[j] += alpha * (c[ch] - out[j]);
                    }
                }
            }
        }

        private static boolean inEllipse(double x, double y, double ex, double ey, double rx, double ry) {
            double dx = (x - ex) / rx;
            double dy = (y - ey) / ry;
            return dx * dx + dy * dy <= 1;
        }

        /** Piecewise-linear colour ramp through {@code colours} at the positions {@link #STOPS}. */
        private static float[] ramp(double[][] colours, double t) {
            int k = 0;
            while (k < STOPS.length - 2 && t > STOPS[k + 1]) k++;
            double u = (t - STOPS[k]) / (STOPS[k + 1] - STOPS[k]);
            float[] c = new float[3];
            for (int ch = 0; ch < 3; ch++) c[ch] = (float) (colours[k][ch] + u * (colours[k + 1][ch] - colours[k][ch]));
            return c;
        }

        private static float[] shade(float[] c, double factor) {
            return new float[] {(float) (c[0] * factor), (float) (c[1] * factor), (float) (c[2] * factor)};
        }
    }
}
