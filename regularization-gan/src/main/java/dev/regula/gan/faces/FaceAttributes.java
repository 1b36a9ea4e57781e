package dev.regula.gan.faces;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The parameters of one synthetic face, as drawn by {@link FaceRenderer}.
 *
 * <p>Continuous attributes describe the face; four of them are thresholded into the binary
 * attributes a conditional GAN is asked to follow ({@link #binaryLabels()}, in the order of
 * {@link #BINARY_NAMES}). The record is immutable: the background array is copied on
 * construction and by its accessor.
 *
 * @param skinTone skin colour in {@code [0, 1]}, 0 pale … 1 dark; pale skin is {@code < 0.5}
 * @param hairDarkness hair colour in {@code [0, 1]}, 0 blond … 1 black; dark hair is {@code > 0.5}
 * @param faceWidth face shape in {@code [0, 1]}, 0 narrow … 1 round
 * @param eyeSpacing distance between the eyes in {@code [0, 1]}, 0 close … 1 wide
 * @param mouthCurvature mouth shape in {@code [-1, 1]}, −1 frown … 1 smile; smiling is {@code > 0}
 * @param glasses whether the face wears glasses
 * @param background the background colour, 3 values (R, G, B) each in {@code [0, 1]}
 * @param jitterX horizontal shift of the face in {@code [-0.15, 0.15]}, a fraction of the image
 *     width (positive moves right)
 * @param jitterY vertical shift of the face in {@code [-0.15, 0.15]}, a fraction of the image
 *     height (positive moves down)
 * @param scale size of the face relative to the default, in {@code [0.5, 1.5]}
 */
public record FaceAttributes(double skinTone, double hairDarkness, double faceWidth, double eyeSpacing,
        double mouthCurvature, boolean glasses, float[] background, double jitterX, double jitterY,
        double scale) {

    /** Names of the binary attributes, in the order of {@link #binaryLabels()}. */
    public static final List<String> BINARY_NAMES = List.of("smiling", "glasses", "dark_hair", "pale_skin");

    /** The largest allowed {@code |jitterX|} and {@code |jitterY|}. */
    public static final double MAX_JITTER = 0.15;

    /** The smallest allowed {@link #scale()}. */
    public static final double MIN_SCALE = 0.5;

    /** The largest allowed {@link #scale()}. */
    public static final double MAX_SCALE = 1.5;

    /** Checks every range (NaN is rejected everywhere) and copies the background. */
    public FaceAttributes {
        requireIn("skinTone", skinTone, 0, 1);
        requireIn("hairDarkness", hairDarkness, 0, 1);
        requireIn("faceWidth", faceWidth, 0, 1);
        requireIn("eyeSpacing", eyeSpacing, 0, 1);
        requireIn("mouthCurvature", mouthCurvature, -1, 1);
        requireIn("jitterX", jitterX, -MAX_JITTER, MAX_JITTER);
        requireIn("jitterY", jitterY, -MAX_JITTER, MAX_JITTER);
        requireIn("scale", scale, MIN_SCALE, MAX_SCALE);
        Objects.requireNonNull(background, "background");
        if (background.length != 3) {
            throw new IllegalArgumentException("background must have 3 values (R, G, B), got " + background.length);
        }
        background = background.clone();
        for (int c = 0; c < 3; c++) requireIn("background[" + c + "]", background[c], 0, 1);
    }

    private static void requireIn(String name, double v, double lo, double hi) {
        if (!(v >= lo && v <= hi)) {
            throw new IllegalArgumentException(name + " must be in [" + lo + ", " + hi + "], got " + v);
        }
    }

    /**
     * Draws a random face. The four binary attributes are independent fair coin flips, and each
     * continuous value behind one keeps a margin from its threshold (skin tone and hair darkness
     * in {@code [0, 0.4]} or {@code [0.6, 1]}, mouth curvature with {@code |c| >= 0.4}), so that
     * every label is visible in the image. Face width and eye spacing are uniform in
     * {@code [0, 1]}, the background is a random muted colour (hue uniform, saturation in
     * {@code [0, 0.6]}, value in {@code [0.45, 0.95]}: a disc of colours around the greys, with no
     * hole in the middle for a generator to bridge), the jitter is within ±0.05 and the scale
     * within {@code [0.9, 1.1]}.
     *
     * @param r the source of randomness; the result is a pure function of its state
     * @return a face
     */
    public static FaceAttributes random(SplittableRandom r) {
        Objects.requireNonNull(r, "r");
        boolean smiling = r.nextBoolean();
        boolean glasses = r.nextBoolean();
        boolean darkHair = r.nextBoolean();
        boolean paleSkin = r.nextBoolean();
        double curvature = (smiling ? 1 : -1) * r.nextDouble(0.4, 1.0);
        double hair = darkHair ? r.nextDouble(0.6, 1.0) : r.nextDouble(0.0, 0.4);
        double skin = paleSkin ? r.nextDouble(0.0, 0.4) : r.nextDouble(0.6, 1.0);
        double width = r.nextDouble();
        double spacing = r.nextDouble();
        float[] bg = hsvToRgb(r.nextDouble(), r.nextDouble(0.0, 0.6), r.nextDouble(0.45, 0.95));
        double jx = r.nextDouble(-0.05, 0.05);
        double jy = r.nextDouble(-0.05, 0.05);
        double scale = r.nextDouble(0.9, 1.1);
        return new FaceAttributes(skin, hair, width, spacing, curvature, glasses, bg, jx, jy, scale);
    }

    /** HSV to RGB, all in [0, 1]: channel n (R=5, G=3, B=1) is v − v·s·clamp(min(k, 4 − k)), k = (n + 6h) mod 6. */
    private static float[] hsvToRgb(double h, double s, double v) {
        return new float[] {hsvChannel(5, h, s, v), hsvChannel(3, h, s, v), hsvChannel(1, h, s, v)};
    }

    private static float hsvChannel(int n, double h, double s, double v) {
        double k = (n + 6 * h) % 6;
        return (float) clamp01(v - v * s * Math.max(0, Math.min(Math.min(k, 4 - k), 1)));
    }

    private static double clamp01(double x) {
        return Math.max(0, Math.min(1, x));
    }

    /** @return a copy of the background colour (R, G, B in {@code [0, 1]}) */
    @Override
    public float[] background() {
        return background.clone();
    }

    /** @return true if the mouth curves up ({@code mouthCurvature > 0}) */
    public boolean smiling() {
        return mouthCurvature > 0;
    }

    /** @return true if {@code hairDarkness > 0.5} */
    public boolean darkHair() {
        return hairDarkness > 0.5;
    }

    /** @return true if {@code skinTone < 0.5} */
    public boolean paleSkin() {
        return skinTone < 0.5;
    }

    /** @return {smiling, glasses, darkHair, paleSkin} as 0 or 1, in the order of {@link #BINARY_NAMES} */
    public float[] binaryLabels() {
        return new float[] {smiling() ? 1 : 0, glasses ? 1 : 0, darkHair() ? 1 : 0, paleSkin() ? 1 : 0};
    }

    /** Compares all components, the background by value. */
    @Override
    public boolean equals(Object o) {
        return o instanceof FaceAttributes f
                && Double.compare(skinTone, f.skinTone) == 0
                && Double.compare(hairDarkness, f.hairDarkness) == 0
                && Double.compare(faceWidth, f.faceWidth) == 0
                && Double.compare(eyeSpacing, f.eyeSpacing) == 0
                && Double.compare(mouthCurvature, f.mouthCurvature) == 0
                && glasses == f.glasses
                && Arrays.equals(background, f.background)
                && Double.compare(jitterX, f.jitterX) == 0
                && Double.compare(jitterY, f.jitterY) == 0
                && Double.compare(scale, f.scale) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(skinTone, hairDarkness, faceWidth, eyeSpacing, mouthCurvature, glasses,
                Arrays.hashCode(background), jitterX, jitterY, scale);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "FaceAttributes[skinTone=%.3f, hairDarkness=%.3f, faceWidth=%.3f, eyeSpacing=%.3f, "
                        + "mouthCurvature=%.3f, glasses=%s, background=%s, jitterX=%.3f, jitterY=%.3f, scale=%.3f]",
                skinTone, hairDarkness, faceWidth, eyeSpacing, mouthCurvature, glasses,
                Arrays.toString(background), jitterX, jitterY, scale);
    }
}
