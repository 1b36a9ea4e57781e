package dev.regula.gan.faces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FaceRendererTest {
    private static final int S = 64;
    private static final float[] BG = {0.2f, 0.6f, 0.8f};

    private static FaceAttributes face(double skin, double hair, double curvature, boolean glasses, double jitterX) {
        return new FaceAttributes(skin, hair, 0.5, 0.5, curvature, glasses, BG, jitterX, 0, 1);
    }

    private static FaceAttributes plain() {
        return face(0.2, 0.2, 0.8, false, 0);
    }

    /** Value of channel c at the pixel containing image point (x, y), both fractions of the side. */
    private static float at(float[] img, int c, double x, double y) {
        return img[c * S * S + (int) (y * S) * S + (int) (x * S)];
    }

    private static float brightness(float[] img, double x, double y) {
        return (at(img, 0, x, y) + at(img, 1, x, y) + at(img, 2, x, y)) / 3;
    }

    @Test
    void rejectsUnsupportedSizesAndShortOutputs() {
        assertThrows(IllegalArgumentException.class, () -> new FaceRenderer(15));
        assertThrows(IllegalArgumentException.class, () -> new FaceRenderer(5000));
        FaceRenderer r = new FaceRenderer(16);
        assertEquals(3 * 16 * 16, r.imageLength());
        assertEquals(32, new FaceRenderer().size());
        assertThrows(IndexOutOfBoundsException.class, () -> r.render(plain(), new float[r.imageLength()], 1));
        assertThrows(IndexOutOfBoundsException.class, () -> r.render(plain(), new float[r.imageLength()], -1));
    }

    @Test
    void writesOnlyItsRangeInMinusOneToOne() {
        FaceRenderer r = new FaceRenderer(S);
        float[] out = new float[r.imageLength() + 10];
        Arrays.fill(out, 7f);
        r.render(plain(), out, 5);
        for (int i = 0; i < 5; i++) assertEquals(7f, out[i]);
        for (int i = out.length - 5; i < out.length; i++) assertEquals(7f, out[i]);
        for (int i = 5; i < out.length - 5; i++) assertTrue(out[i] >= -1 && out[i] <= 1, "value " + out[i]);
        assertArrayEquals(r.render(plain()), Arrays.copyOfRange(out, 5, out.length - 5));
    }

    @Test
    void isAPureFunctionOfTheAttributes() {
        FaceRenderer r = new FaceRenderer(32);
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < 20; i++) {
            FaceAttributes a = FaceAttributes.random(rnd);
            assertArrayEquals(r.render(a), new FaceRenderer(32).render(a));
        }
    }

    @Test
    void cornerShowsTheBackgroundColour() {
        float[] img = new FaceRenderer(S).render(plain());
        for (int c = 0; c < 3; c++) assertEquals(BG[c] * 2 - 1, at(img, c, 0.01, 0.01), 1e-6);
    }

    @Test
    void edgesAreAntiAliased() {
        float[] img = new FaceRenderer(S).render(plain());
        Set<Float> reds = new HashSet<>();
        for (int i = 0; i < S * S; i++) reds.add(img[i]);
        // about a dozen flat colours; blended edge pixels add many more
        assertTrue(reds.size() > 60, "distinct red values: " + reds.size());
    }

    @Test
    void paleSkinIsLighterThanDarkSkin() {
        FaceRenderer r = new FaceRenderer(S);
        float pale = brightness(r.render(face(0.2, 0.2, 0.8, false, 0)), 0.36, 0.60);
        float dark = brightness(r.render(face(0.8, 0.2, 0.8, false, 0)), 0.36, 0.60);
        assertTrue(pale - dark > 0.5, "cheek brightness pale " + pale + " vs dark " + dark);
    }

    @Test
    void darkHairIsDarkerThanLightHair() {
        FaceRenderer r = new FaceRenderer(S);
        float light = brightness(r.render(face(0.2, 0.1, 0.8, false, 0)), 0.5, 0.24);
        float dark = brightness(r.render(face(0.2, 0.9, 0.8, false, 0)), 0.5, 0.24);
        assertTrue(light - dark > 0.8, "hair brightness light " + light + " vs dark " + dark);
    }

    /** The row with the reddest pixel of a column, within the lower face. */
    private static int lipsRow(float[] img, double x) {
        int best = -1;
        float bestRed = Float.NEGATIVE_INFINITY;
        for (int y = (int) (0.6 * S); y < (int) (0.8 * S); y++) {
            int i = y * S + (int) (x * S);
            float red = img[i] - img[S * S + i];
            if (red > bestRed) {
                bestRed = red;
                best = y;
            }
        }
        return best;
    }

    @Test
    void smileSagsInTheMiddleAndFrownAtTheCorners() {
        FaceRenderer r = new FaceRenderer(S);
        float[] smile = r.render(face(0.2, 0.2, 1, false, 0));
        float[] frown = r.render(face(0.2, 0.2, -1, false, 0));
        assertTrue(lipsRow(smile, 0.5) >= lipsRow(frown, 0.5) + 3,
                "centre: smile row " + lipsRow(smile, 0.5) + ", frown row " + lipsRow(frown, 0.5));
        assertTrue(lipsRow(smile, 0.58) + 3 <= lipsRow(frown, 0.58),
                "corner: smile row " + lipsRow(smile, 0.58) + ", frown row " + lipsRow(frown, 0.58));
    }

    private static int darkPixels(float[] img) {
        int n = 0;
        for (int y = (int) (0.38 * S); y < (int) (0.62 * S); y++) {
            for (int x = 0; x < S; x++) {
                int i = y * S + x;
                if ((img[i] + img[i + S * S] + img[i + 2 * S * S]) / 3 < -0.6f) n++;
            }
        }
        return n;
    }

    @Test
    void glassesAddDarkFramesAroundTheEyes() {
        FaceRenderer r = new FaceRenderer(S);
        int without = darkPixels(r.render(face(0.2, 0.1, 0.8, false, 0)));
        int with = darkPixels(r.render(face(0.2, 0.1, 0.8, true, 0)));
        assertTrue(with >= without + 60, "dark pixels around the eyes: " + without + " without glasses, " + with + " with");
    }

    private static double centroidX(float[] img) {
        double sum = 0;
        double n = 0;
        for (int y = (int) (0.15 * S); y < (int) (0.8 * S); y++) {
            for (int x = 0; x < S; x++) {
                int i = y * S + x;
                double d = Math.abs(img[i] - (BG[0] * 2 - 1)) + Math.abs(img[i + S * S] - (BG[1] * 2 - 1))
                        + Math.abs(img[i + 2 * S * S] - (BG[2] * 2 - 1));
                if (d > 0.05) {
                    sum += x;
                    n++;
                }
            }
        }
        return sum / n;
    }

    @Test
    void jitterShiftsTheWholeFace() {
        FaceRenderer r = new FaceRenderer(S);
        double centred = centroidX(r.render(face(0.2, 0.2, 0.8, true, 0)));
        double moved = centroidX(r.render(face(0.2, 0.2, 0.8, true, 0.1)));
        assertEquals(0.1 * S, moved - centred, 1.0);
        assertEquals(S / 2.0, centred, 1.0);
    }

    @Test
    void sameFaceAtTwoSizesLooksTheSame() {
        // geometry is in fractions of the side: the 64-pixel face averaged 2x2 is close to the 32-pixel one
        FaceAttributes a = face(0.3, 0.7, 0.6, true, 0.03);
        float[] big = new FaceRenderer(64).render(a);
        float[] small = new FaceRenderer(32).render(a);
        double err = 0;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    int b = c * 4096 + 2 * y * 64 + 2 * x;
                    float avg = (big[b] + big[b + 1] + big[b + 64] + big[b + 65]) / 4;
                    err += Math.abs(avg - small[c * 1024 + y * 32 + x]);
                }
            }
        }
        assertTrue(err / (3 * 1024) < 0.03, "mean abs difference " + err / (3 * 1024));
    }
}
