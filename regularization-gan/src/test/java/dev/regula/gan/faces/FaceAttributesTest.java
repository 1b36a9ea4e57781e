package dev.regula.gan.faces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FaceAttributesTest {
    private static final float[] GREY = {0.5f, 0.5f, 0.5f};

    static FaceAttributes face(double skin, double hair, double curvature, boolean glasses) {
        return new FaceAttributes(skin, hair, 0.5, 0.5, curvature, glasses, GREY, 0, 0, 1);
    }

    @Test
    void binaryLabelsFollowTheThresholds() {
        assertArrayEquals(new float[] {1, 1, 1, 1}, face(0.2, 0.9, 0.5, true).binaryLabels());
        assertArrayEquals(new float[] {0, 0, 0, 0}, face(0.8, 0.1, -0.5, false).binaryLabels());
        // exactly on a threshold: not smiling, not dark hair, not pale
        FaceAttributes edge = face(0.5, 0.5, 0, false);
        assertFalse(edge.smiling());
        assertFalse(edge.darkHair());
        assertFalse(edge.paleSkin());
        assertEquals(List.of("smiling", "glasses", "dark_hair", "pale_skin"), FaceAttributes.BINARY_NAMES);
    }

    @Test
    void rejectsValuesOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> face(-0.01, 0.5, 0, false));
        assertThrows(IllegalArgumentException.class, () -> face(0.5, 1.01, 0, false));
        assertThrows(IllegalArgumentException.class, () -> face(0.5, 0.5, 1.5, false));
        assertThrows(IllegalArgumentException.class, () -> face(Double.NaN, 0.5, 0, false));
        assertThrows(IllegalArgumentException.class,
                () -> new FaceAttributes(0.5, 0.5, 2, 0.5, 0, false, GREY, 0, 0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new FaceAttributes(0.5, 0.5, 0.5, -1, 0, false, GREY, 0, 0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new FaceAttributes(0.5, 0.5, 0.5, 0.5, 0, false, GREY, 0.2, 0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new FaceAttributes(0.5, 0.5, 0.5, 0.5, 0, false, GREY, 0, -0.2, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new FaceAttributes(0.5, 0.5, 0.5, 0.5, 0, false, GREY, 0, 0, 0.4));
        assertThrows(IllegalArgumentException.class,
                () -> new FaceAttributes(0.5, 0.5, 0.5, 0.5, 0, false, new float[] {0, 0}, 0, 0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new FaceAttributes(0.5, 0.5, 0.5, 0.5, 0, false, new float[] {0, 1.5f, 0}, 0, 0, 1));
        assertThrows(NullPointerException.class,
                () -> new FaceAttributes(0.5, 0.5, 0.5, 0.5, 0, false, null, 0, 0, 1));
    }

    @Test
    void backgroundIsCopiedInAndOut() {
        float[] bg = {0.1f, 0.2f, 0.3f};
        FaceAttributes a = new FaceAttributes(0.5, 0.5, 0.5, 0.5, 0, false, bg, 0, 0, 1);
        bg[0] = 0.9f;
        a.background()[1] = 0.9f;
        assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f}, a.background());
        assertEquals(a, new FaceAttributes(0.5, 0.5, 0.5, 0.5, 0, false, new float[] {0.1f, 0.2f, 0.3f}, 0, 0, 1));
        assertEquals(a.hashCode(),
                new FaceAttributes(0.5, 0.5, 0.5, 0.5, 0, false, new float[] {0.1f, 0.2f, 0.3f}, 0, 0, 1).hashCode());
        assertNotEquals(a, new FaceAttributes(0.5, 0.5, 0.5, 0.5, 0, false, new float[] {0.1f, 0.2f, 0.4f}, 0, 0, 1));
    }

    @Test
    void randomLabelsAreBalancedAndIndependentWithAMargin() {
        SplittableRandom r = new SplittableRandom(42);
        int n = 8000;
        int[] ones = new int[4];
        int[][] both = new int[4][4];
        for (int i = 0; i < n; i++) {
            FaceAttributes a = FaceAttributes.random(r);
            float[] y = a.binaryLabels();
            for (int p = 0; p < 4; p++) {
                ones[p] += (int) y[p];
                for (int q = 0; q < 4; q++) both[p][q] += (int) (y[p] * y[q]);
            }
            assertTrue(Math.abs(a.mouthCurvature()) >= 0.4, "curvature margin: " + a);
            assertTrue(Math.abs(a.skinTone() - 0.5) >= 0.1, "skin margin: " + a);
            assertTrue(Math.abs(a.hairDarkness() - 0.5) >= 0.1, "hair margin: " + a);
        }
        // binomial standard deviation of a rate at n = 8000 is ~0.0056; allow ~5 sigma
        for (int p = 0; p < 4; p++) {
            assertEquals(0.5, ones[p] / (double) n, 0.03, FaceAttributes.BINARY_NAMES.get(p));
            for (int q = p + 1; q < 4; q++) {
                assertEquals(0.25, both[p][q] / (double) n, 0.025,
                        FaceAttributes.BINARY_NAMES.get(p) + " and " + FaceAttributes.BINARY_NAMES.get(q));
            }
        }
    }

    @Test
    void randomIsAFunctionOfTheGeneratorState() {
        assertEquals(FaceAttributes.random(new SplittableRandom(7)), FaceAttributes.random(new SplittableRandom(7)));
        assertNotEquals(FaceAttributes.random(new SplittableRandom(7)), FaceAttributes.random(new SplittableRandom(8)));
    }
}
