package dev.regula.core.regularizer.batch;

import dev.regula.api.spec.SpecArguments;

/**
 * Small random rotations: each example is rotated about its centre by an angle uniform in
 * [−degrees, degrees] (Keras {@code RandomRotation(factor=degrees/360)}, torchvision
 * {@code RandomRotation(degrees)} with bilinear interpolation). Each output pixel (y, x) reads
 * the input at the inverse-rotated point, (y, x) turned by −θ about ((H−1)/2, (W−1)/2), by
 * bilinear interpolation; a point outside the image takes {@code fill}: {@code min}, the
 * example's smallest value (the background, whatever the standardisation), or {@code zero}.
 * Every channel of an example turns by the same angle. The angle is drawn from the
 * counter-based generator keyed by (seed, name, step, example), like the other augmentations.
 */
final class Rotate extends ImageAugmentation {
    static final String NAME = "rotate";
    /** The largest allowed {@code degrees}: a half turn either way covers every orientation. */
    static final double MAX_DEGREES = 180;
    private final double degrees;
    private final boolean fillMin;
    private float[] plane = new float[0];

    Rotate(SpecArguments a) {
        super(NAME, a);
        this.degrees = a.number("degrees");
        this.fillMin = a.text("fill").equals("min");
    }

    @Override
    void augment(float[] x, int offset, Images im, Draws d) {
        double angle = Math.toRadians(d.uniform(-degrees, degrees));
        if (angle == 0) return;
        float fill = 0f;
        if (fillMin) {
            fill = Float.POSITIVE_INFINITY;
            for (int i = offset; i < offset + im.example(); i++) fill = Math.min(fill, x[i]);
        }
        if (plane.length < im.plane()) plane = new float[im.plane()];
        for (int c = 0; c < im.channels(); c++) {
            int base = offset + c * im.plane();
            System.arraycopy(x, base, plane, 0, im.plane());
            rotate(plane, 0, x, base, im.height(), im.width(), angle, fill);
        }
    }

    /**
     * Rotates one H×W plane counter-clockwise (as seen with row 0 at the top: a positive angle
     * turns the picture to the left, as Keras and torchvision do) by {@code radians} about its
     * centre, with bilinear interpolation.
     *
     * @param src the source plane, read from {@code srcOffset}
     * @param srcOffset where it starts
     * @param dst the destination, written from {@code dstOffset} (must not overlap the source)
     * @param dstOffset where it starts
     * @param h height
     * @param w width
     * @param radians the angle
     * @param fill the value of pixels that come from outside the source
     */
    static void rotate(float[] src, int srcOffset, float[] dst, int dstOffset, int h, int w, double radians, float fill) {
        double cos = Math.cos(radians);
        double sin = Math.sin(radians);
        // exact quarter turns: cos/sin of a multiple of π/2 are not exactly 0 and ±1 in floating point
        if (Math.abs(cos) < 1e-12) cos = 0;
        if (Math.abs(sin) < 1e-12) sin = 0;
        if (Math.abs(cos) > 1 - 1e-15) cos = Math.signum(cos);
        if (Math.abs(sin) > 1 - 1e-15) sin = Math.signum(sin);
        double cy = (h - 1) / 2.0;
        double cx = (w - 1) / 2.0;
        for (int y = 0; y < h; y++) {
            double ry = y - cy;
            for (int col = 0; col < w; col++) {
                double rx = col - cx;
                // inverse map: the source point that lands on (y, col)
                double sx = cos * rx - sin * ry + cx;
                double sy = sin * rx + cos * ry + cy;
                dst[dstOffset + y * w + col] = bilinear(src, srcOffset, h, w, sy, sx, fill);
            }
        }
    }

    /** Bilinear interpolation of the plane at (sy, sx); {@code fill} outside [0, H−1] × [0, W−1]. */
    private static float bilinear(float[] src, int off, int h, int w, double sy, double sx, float fill) {
        final double eps = 1e-9; // a point on the border after rounding error is still inside
        if (!(sy > -eps && sy < h - 1 + eps && sx > -eps && sx < w - 1 + eps)) return fill;
        sy = Math.min(Math.max(sy, 0), h - 1);
        sx = Math.min(Math.max(sx, 0), w - 1);
        int y0 = (int) sy;
        int x0 = (int) sx;
        int y1 = Math.min(y0 + 1, h - 1);
        int x1 = Math.min(x0 + 1, w - 1);
        double fy = sy - y0;
        double fx = sx - x0;
        double top = src[off + y0 * w + x0] * (1 - fx) + src[off + y0 * w + x1] * fx;
        double bottom = src[off + y1 * w + x0] * (1 - fx) + src[off + y1 * w + x1] * fx;
        return (float) (top * (1 - fy) + bottom * fy);
    }
}
