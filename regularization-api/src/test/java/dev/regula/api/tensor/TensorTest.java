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

    /** A shape whose product overflows a long is refused like any shape beyond 2^31 elements, never taken for 0. */
    @org.junit.jupiter.api.Test
    void aShapeWhoseProductOverflowsIsRefused() {
        org.junit.jupiter.api.Assertions.assertThrows(dev.regula.api.ShapeMismatchException.class,
                () -> Tensor.sizeOf(65536, 65536, 65536, 65536));
        org.junit.jupiter.api.Assertions.assertThrows(dev.regula.api.ShapeMismatchException.class,
                () -> Tensor.zeros(3, 1 << 30, 1 << 30, 1 << 30, 8));
        org.junit.jupiter.api.Assertions.assertEquals(0, Tensor.sizeOf(1 << 30, 0, 1 << 30));
        org.junit.jupiter.api.Assertions.assertEquals(6, Tensor.sizeOf(2, 3));
    }
}
