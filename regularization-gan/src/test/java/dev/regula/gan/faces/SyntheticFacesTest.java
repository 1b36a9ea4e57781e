package dev.regula.gan.faces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SyntheticFacesTest {

    @Test
    void shapesLabelsAndAttributesAgree() {
        FaceDataset d = SyntheticFaces.generate(50, 32, 1);
        assertEquals(50, d.size());
        assertEquals(32, d.imageSize());
        assertArrayEquals(new int[] {50, 3, 32, 32}, d.images().shape());
        assertArrayEquals(new int[] {50, 4}, d.labels().shape());
        assertEquals(50, d.attributes().size());
        FaceRenderer r = new FaceRenderer(32);
        for (int i = 0; i < 50; i++) {
            FaceAttributes a = d.attributes().get(i);
            assertEquals(SyntheticFaces.attributes(1, i), a);
            assertArrayEquals(a.binaryLabels(), Arrays.copyOfRange(d.labels().data(), 4 * i, 4 * i + 4));
            assertArrayEquals(r.render(a), Arrays.copyOfRange(d.images().data(), i * 3072, (i + 1) * 3072));
        }
    }

    @Test
    void sameArgumentsGiveTheSameBytes() {
        FaceDataset a = SyntheticFaces.generate(200, 32, 9);
        FaceDataset b = SyntheticFaces.generate(200, 32, 9);
        assertArrayEquals(a.images().data(), b.images().data());
        assertArrayEquals(a.labels().data(), b.labels().data());
        assertEquals(a.attributes(), b.attributes());
    }

    @Test
    void differentSeedsGiveDifferentFaces() {
        FaceDataset a = SyntheticFaces.generate(20, 32, 9);
        FaceDataset b = SyntheticFaces.generate(20, 32, 10);
        for (int i = 0; i < 20; i++) {
            assertFalse(Arrays.equals(Arrays.copyOfRange(a.images().data(), i * 3072, (i + 1) * 3072),
                    Arrays.copyOfRange(b.images().data(), i * 3072, (i + 1) * 3072)), "face " + i);
        }
    }

    @Test
    void aShorterDataSetIsAPrefixOfALongerOne() {
        FaceDataset small = SyntheticFaces.generate(10, 32, 5);
        FaceDataset large = SyntheticFaces.generate(20, 32, 5);
        assertArrayEquals(small.images().data(), Arrays.copyOf(large.images().data(), 10 * 3072));
        assertArrayEquals(small.labels().data(), Arrays.copyOf(large.labels().data(), 40));
        assertEquals(small.attributes(), large.attributes().subList(0, 10));
    }

    @Test
    void facesDifferFromOneAnother() {
        FaceDataset d = SyntheticFaces.generate(30, 16, 2);
        for (int i = 1; i < 30; i++) {
            assertFalse(Arrays.equals(Arrays.copyOfRange(d.images().data(), 0, 768),
                    Arrays.copyOfRange(d.images().data(), i * 768, (i + 1) * 768)), "face " + i);
        }
    }

    @Test
    void labelsAreBalanced() {
        FaceDataset d = SyntheticFaces.generate(2000, 16, 11);
        float[] y = d.labels().data();
        for (int j = 0; j < 4; j++) {
            double ones = 0;
            for (int i = 0; i < 2000; i++) ones += y[4 * i + j];
            assertEquals(0.5, ones / 2000, 0.05, FaceAttributes.BINARY_NAMES.get(j));
        }
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> SyntheticFaces.generate(-1, 32, 0));
        assertThrows(IllegalArgumentException.class, () -> SyntheticFaces.generate(10, 8, 0));
        assertThrows(IllegalArgumentException.class, () -> SyntheticFaces.generate(1_000_000, 1024, 0));
        assertThrows(IllegalArgumentException.class, () -> SyntheticFaces.attributes(0, -1));
        assertEquals(0, SyntheticFaces.generate(0, 32, 0).size());
    }
}
