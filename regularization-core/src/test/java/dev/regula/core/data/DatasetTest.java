package dev.regula.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.kernels.Kernels;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.kernels.ScalarKernels;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DatasetTest {
    private static Dataset four() {
        float[] x = new float[8];
        for (int i = 0; i < 8; i++) x[i] = i;
        return new Dataset(Tensor.wrap(x, 4, 2), Tensor.of(new float[] {0, 1, 2, 1}, 4), 3);
    }

    @Test
    void validatesShapesAndLabels() {
        assertThrows(ShapeMismatchException.class,
                () -> new Dataset(Tensor.zeros(3, 2), Tensor.zeros(4), 2));
        assertThrows(IllegalArgumentException.class,
                () -> new Dataset(Tensor.zeros(2, 2), Tensor.of(new float[] {0, 2}, 2), 2));
        assertThrows(IllegalArgumentException.class,
                () -> new Dataset(Tensor.zeros(2, 2), Tensor.of(new float[] {0, 0.5f}, 2), 2));
        assertThrows(ShapeMismatchException.class, () -> new Dataset(Tensor.zeros(2, 2), Tensor.zeros(2, 3), 2));
        assertEquals(0, new Dataset(Tensor.zeros(2, 2), Tensor.of(new float[] {0.5f, -1}, 2), 0).numClasses());
    }

    @Test
    void subsetAndBatchCopyRows() {
        Dataset d = four();
        Dataset s = d.subset(1, 3);
        assertArrayEquals(new float[] {2, 3, 4, 5}, s.features().data());
        assertArrayEquals(new float[] {1, 2}, s.labels().data());
        s.features().set(0, 99);
        assertEquals(2f, d.features().get(2), "subset copies");
        Dataset b = d.batch(new int[] {3, 0, 2}, 0, 2);
        assertArrayEquals(new float[] {6, 7, 0, 1}, b.features().data());
        assertArrayEquals(new float[] {1, 0}, b.labels().data());
        assertArrayEquals(new int[] {2}, d.exampleShape());
        assertEquals(0, d.labelShape().length);
    }

    @Test
    void batchIntoReusesBuffersAndChecksShapes() {
        Dataset d = four();
        Tensor x = Tensor.zeros(2, 2);
        Tensor y = Tensor.zeros(2);
        d.batchInto(new int[] {1, 2, 3}, 1, 3, x, y);
        assertArrayEquals(new float[] {4, 5, 6, 7}, x.data());
        assertArrayEquals(new float[] {2, 1}, y.data());
        assertThrows(ShapeMismatchException.class, () -> d.batchInto(new int[] {1, 2, 3}, 0, 3, x, y));
        assertThrows(IndexOutOfBoundsException.class, () -> d.batchInto(new int[] {9, 0}, 0, 2, x, y));
    }

    @Test
    void batchIntoCopiesTheFeatureRowsWithTheGivenKernelsAfterCheckingEveryIndex() {
        Dataset d = four();
        Kernels kernels = org.mockito.Mockito.spy(new ScalarKernels());
        Tensor x = Tensor.zeros(2, 2);
        Tensor y = Tensor.zeros(2);
        int[] order = {3, 0, 1};
        d.batchInto(order, 1, 3, x, y, kernels);
        org.mockito.Mockito.verify(kernels).gatherRows(2, 2, d.features().data(), order, 1, x.data());
        assertArrayEquals(new float[] {0, 1, 2, 3}, x.data());
        assertArrayEquals(new float[] {0, 1}, y.data());
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> d.batchInto(new int[] {1, 4}, 0, 2, x, y, kernels));
        assertTrue(e.getMessage().contains("4"), e.getMessage());
        org.mockito.Mockito.verifyNoMoreInteractions(kernels); // the bad index never reached the kernels
        assertArrayEquals(new float[] {0, 1, 2, 3}, x.data());
    }

    @Test
    void batchesAreDeterministicPermutationsPerEpochWithPartialLastBatch() {
        Batches b = new Batches(10, 4, 42, true);
        assertEquals(3, b.count());
        assertEquals(8, b.from(2));
        assertEquals(10, b.to(2));
        int[] e0 = b.order(0);
        assertArrayEquals(e0, new Batches(10, 4, 42, true).order(0), "same seed and epoch, same order");
        assertFalse(Arrays.equals(e0, b.order(1)), "epochs differ");
        assertFalse(Arrays.equals(e0, new Batches(10, 4, 43, true).order(0)), "seeds differ");
        int[] sorted = e0.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, new Batches(5, 2, 1, false).order(7));
        assertEquals(0, new Batches(0, 3, 1, true).count());
        assertThrows(IndexOutOfBoundsException.class, () -> b.from(3));
    }
}
