package dev.regula.gan.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DiversityTest {
    private static float[][] random(long seed, int n, int d) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = new float[n][d];
        for (float[] row : x) for (int j = 0; j < d; j++) row[j] = (float) r.nextGaussian();
        return x;
    }

    @Test
    void identicalMembersGiveZero() {
        float[] a = {1, 2, 3};
        float[] b = {-4, 0.5f, 7};
        float[][] e = {a.clone(), b.clone(), a.clone(), b.clone(), a.clone(), b.clone()};
        // two groups, each three copies of one point: collapse within condition, variety across
        assertEquals(0.0, Diversity.withinGroups(e, new int[] {0, 1, 0, 1, 0, 1}));
        assertTrue(Diversity.meanPairwiseDistance(e) > 0);
    }

    @Test
    void scalingTheEmbeddingsByTwoDoublesIt() {
        float[][] e = random(1, 30, 5);
        float[][] doubled = new float[e.length][5];
        for (int i = 0; i < e.length; i++) for (int j = 0; j < 5; j++) doubled[i][j] = 2 * e[i][j];
        int[] group = new int[e.length];
        for (int i = 0; i < group.length; i++) group[i] = i % 4;
        double d = Diversity.withinGroups(e, group);
        assertTrue(d > 0);
        assertEquals(2 * d, Diversity.withinGroups(doubled, group), 1e-12 * d);
        double all = Diversity.meanPairwiseDistance(e);
        assertEquals(2 * all, Diversity.meanPairwiseDistance(doubled), 1e-12 * all);
    }

    @Test
    void handComputedGroupsWithASingletonSkipped() {
        // group 7: (0,0), (3,4) -> mean distance 5
        // group -2: (0,0), (1,0), (0,1) -> distances 1, 1, √2 -> mean (2 + √2)/3
        // group 9: a single member -> skipped (does not count as a 0)
        float[][] e = {{0, 1}, {0, 0}, {100, 100}, {0, 0}, {1, 0}, {3, 4}};
        int[] group = {-2, 7, 9, -2, -2, 7};
        double expected = (5 + (2 + Math.sqrt(2)) / 3) / 2;
        assertEquals(expected, Diversity.withinGroups(e, group), 1e-15);
    }

    @Test
    void meanPairwiseDistanceIsHandComputedAndEqualsOneGroup() {
        // (0,0), (3,4), (6,8): distances 5, 10, 5 -> 20/3
        float[][] e = {{0, 0}, {3, 4}, {6, 8}};
        assertEquals(20.0 / 3, Diversity.meanPairwiseDistance(e), 1e-15);
        float[][] x = random(2, 25, 3);
        assertEquals(Diversity.meanPairwiseDistance(x), Diversity.withinGroups(x, new int[25]), 1e-12);
    }

    @Test
    void groupsAreWeightedEquallyNotByTheirNumberOfPairs() {
        // group 0: 2 points at distance 1 (1 pair); group 1: 4 copies of the origin (6 pairs, all 0)
        float[][] e = {{0}, {1}, {0}, {0}, {0}, {0}};
        assertEquals(0.5, Diversity.withinGroups(e, new int[] {0, 0, 1, 1, 1, 1}));
    }

    @Test
    void badInputIsRejectedWithWhatWasWrong() {
        float[][] e = random(3, 4, 2);
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class, () -> Diversity.withinGroups(e, new int[3]));
        assertTrue(length.getMessage().contains("4 rows, 3 ids"), length.getMessage());
        IllegalArgumentException singletons = assertThrows(IllegalArgumentException.class,
                () -> Diversity.withinGroups(e, new int[] {0, 1, 2, 3}));
        assertTrue(singletons.getMessage().contains("no group has 2 or more members"), singletons.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Diversity.withinGroups(e, null));
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class, () -> Diversity.meanPairwiseDistance(new float[][] {{1, 2}}));
        assertTrue(one.getMessage().contains("at least 2 rows, got 1"), one.getMessage());
        float[][] inf = random(4, 4, 2);
        inf[3][0] = Float.POSITIVE_INFINITY;
        IllegalArgumentException nonFinite = assertThrows(IllegalArgumentException.class, () -> Diversity.meanPairwiseDistance(inf));
        assertTrue(nonFinite.getMessage().contains("row 3, feature 0 is Infinity"), nonFinite.getMessage());
    }
}
