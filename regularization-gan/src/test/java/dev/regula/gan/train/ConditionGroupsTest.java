package dev.regula.gan.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.tensor.Tensor;
import dev.regula.core.data.Batches;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConditionGroupsTest {
    /** Face i has condition (i mod 3, i mod 2): six classes; class sizes for 40 faces: 7, 7, 7, 7, 6, 6. */
    private static Tensor conditions(int n) {
        Tensor c = Tensor.zeros(n, 2);
        for (int i = 0; i < n; i++) {
            c.data()[2 * i] = i % 3;
            c.data()[2 * i + 1] = i % 2;
        }
        return c;
    }

    @Test
    void consecutiveGroupsShareTheirConditionAndNoFaceComesTwice() {
        Tensor c = conditions(40);
        ConditionGroups groups = new ConditionGroups(c, 4);
        assertEquals(6, groups.classes());
        assertEquals(6 * 4, groups.length(), "each class of 6 or 7 faces gives one group of 4");
        int[] order = groups.order(new Batches(40, 8, 3, true).order(0));
        assertEquals(groups.length(), order.length);
        Set<Integer> seen = new HashSet<>();
        for (int g = 0; g < order.length; g += 4) {
            for (int i = g; i < g + 4; i++) {
                assertTrue(seen.add(order[i]), "face " + order[i] + " twice");
                assertEquals(order[g] % 6, order[i] % 6, "group at " + g + " mixes conditions: " + Arrays.toString(order));
            }
        }
    }

    @Test
    void theOrderFollowsThePermutationSoEpochsDiffer() {
        ConditionGroups groups = new ConditionGroups(conditions(200), 4);
        Batches batches = new Batches(200, 8, 3, true);
        assertEquals(groups.order(batches.order(1)).length, groups.order(batches.order(0)).length);
        assertNotEquals(Arrays.toString(groups.order(batches.order(0))), Arrays.toString(groups.order(batches.order(1))));
        assertArrayEquals(groups.order(batches.order(2)), groups.order(batches.order(2)));
    }

    @Test
    void refusesGroupsNoConditionCanFill() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ConditionGroups(conditions(12), 4));
        assertTrue(e.getMessage().contains("no condition is shared by 4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ConditionGroups(conditions(12), 1));
    }
}
