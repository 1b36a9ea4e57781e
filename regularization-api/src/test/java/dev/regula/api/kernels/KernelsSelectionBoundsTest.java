package dev.regula.api.kernels;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A thread count is checked before any provider starts a thread (2^31 - 1 died in a worker team, 3000 started 3000). */
class KernelsSelectionBoundsTest {
    @Test
    void threadCountsOutOfRangeAreRefusedUpFront() {
        for (int bad : new int[] {0, -1, KernelsSelection.MAX_THREADS + 1, Integer.MAX_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelsSelection.create(bad));
            assertTrue(e.getMessage().contains("[1, " + KernelsSelection.MAX_THREADS + "]"), e.getMessage());
        }
    }
}
