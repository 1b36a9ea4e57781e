package dev.regula.gan.faces;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaceDatasetTest {

    @Test
    void checksShapes() {
        Tensor images = Tensor.zeros(2, 3, 4, 4);
        Tensor labels = Tensor.zeros(2, 4);
        assertEquals(2, new FaceDataset(images, List.of(), labels).size());
        assertThrows(ShapeMismatchException.class, () -> new FaceDataset(Tensor.zeros(2, 1, 4, 4), List.of(), labels));
        assertThrows(ShapeMismatchException.class, () -> new FaceDataset(Tensor.zeros(2, 3, 4, 5), List.of(), labels));
        assertThrows(ShapeMismatchException.class, () -> new FaceDataset(Tensor.zeros(2, 48), List.of(), labels));
        assertThrows(ShapeMismatchException.class, () -> new FaceDataset(images, List.of(), Tensor.zeros(3, 4)));
        assertThrows(ShapeMismatchException.class, () -> new FaceDataset(images, List.of(), Tensor.zeros(2, 3)));
        List<FaceAttributes> one = List.of(FaceAttributesTest.face(0.2, 0.2, 0.5, false));
        assertThrows(IllegalArgumentException.class, () -> new FaceDataset(images, one, labels));
    }

    @Test
    void subsetCopiesRowsAndAttributes() {
        FaceDataset d = SyntheticFaces.generate(6, 16, 3);
        FaceDataset s = d.subset(2, 5);
        assertEquals(3, s.size());
        assertEquals(16, s.imageSize());
        assertEquals(d.attributes().subList(2, 5), s.attributes());
        assertArrayEquals(Arrays.copyOfRange(d.images().data(), 2 * 768, 5 * 768), s.images().data());
        assertArrayEquals(Arrays.copyOfRange(d.labels().data(), 8, 20), s.labels().data());
        s.images().data()[0] = 42;
        assertTrue(d.images().data()[2 * 768] != 42, "subset must copy");
        assertEquals(0, d.subset(6, 6).size());
        assertThrows(IndexOutOfBoundsException.class, () -> d.subset(4, 7));
        assertThrows(IndexOutOfBoundsException.class, () -> d.subset(3, 2));
    }

    @Test
    void subsetWithoutAttributesStaysWithout() {
        FaceDataset d = new FaceDataset(Tensor.zeros(3, 3, 4, 4), List.of(), Tensor.zeros(3, 4));
        assertTrue(d.subset(1, 3).attributes().isEmpty());
    }
}
