package dev.regula.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.tensor.Tensor;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** k-fold splits: the validation parts partition the examples, each training part is the rest, folds differ by at most one. */
class SplitsTest {
    /** n examples whose one feature is their index. */
    private static Dataset indexed(int n) {
        float[] x = new float[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = i % 2;
        }
        return new Dataset(Tensor.wrap(x, n, 1), Tensor.wrap(y, n), 2);
    }

    private static Set<Integer> ids(Dataset d) {
        Set<Integer> s = new HashSet<>();
        for (float v : d.features().data()) s.add((int) v);
        return s;
    }

    @Test
    void theFoldsPartitionTheExamplesAndEachTrainsOnTheRest() {
        int n = 23;
        List<Splits.Fold> folds = Splits.kFold(indexed(n), 5, 7);
        assertEquals(5, folds.size());
        Set<Integer> seen = new HashSet<>();
        for (Splits.Fold f : folds) {
            Set<Integer> val = ids(f.validation());
            Set<Integer> train = ids(f.training());
            assertTrue(val.size() == 4 || val.size() == 5, "sizes differ by at most one: " + val.size());
            assertEquals(n, val.size() + train.size());
            for (int v : val) assertTrue(seen.add(v) && !train.contains(v), "example " + v + " validated once, never trained on there");
        }
        assertEquals(n, seen.size());
        assertArrayEquals(folds.get(2).validation().features().data(), folds.get(2).validation().features().data());
        assertArrayEquals(folds.get(3).training().features().data(), Splits.kFold(indexed(n), 5, 7).get(3).training().features().data(),
                "the same seed gives the same folds");
        assertThrows(IndexOutOfBoundsException.class, () -> folds.get(5));
        assertThrows(IllegalArgumentException.class, () -> Splits.kFold(indexed(3), 4, 1));
    }
}
