package dev.regula.api.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.ShapeMismatchException;
import org.junit.jupiter.api.Test;

class TensorTest {
    @Test
    void rowMajorIndexingReshapeAndCopy() {
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertEquals(6f, t.get(1, 2));
        assertEquals(2, t.rows());
        assertEquals(3, t.rowSize());
        Tensor r = t.reshape(3, -1);
        assertArrayEquals(new int[] {3, 2}, r.shape());
        r.set(0, 9f);
        assertEquals(9f, t.get(0), "reshape is a view");
        Tensor c = t.copy();
        c.set(0, 0f);
        assertEquals(9f, t.get(0), "copy is deep");
    }

    @Test
    void shapeErrorsNameBothShapes() {
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> Tensor.wrap(new float[5], 2, 3));
        assertTrue(e.getMessage().contains("5 values") && e.getMessage().contains("[2, 3]"), e.getMessage());
        e = assertThrows(ShapeMismatchException.class, () -> Tensor.zeros(2, 3).copyFrom(Tensor.zeros(3, 2)));
        assertTrue(e.getMessage().contains("[3, 2]") && e.getMessage().contains("[2, 3]"), e.getMessage());
        assertThrows(ShapeMismatchException.class, () -> Tensor.zeros(-1));
        assertThrows(ShapeMismatchException.class, () -> Tensor.zeros(6).reshape(4, -1));
        assertThrows(ShapeMismatchException.class, () -> Tensor.zeros(65536, 65536));
    }

    @Test
    void finiteCheck() {
        Tensor t = Tensor.zeros(3);
        assertTrue(t.allFinite());
        t.set(2, Float.NEGATIVE_INFINITY);
        assertFalse(t.allFinite());
    }
}
