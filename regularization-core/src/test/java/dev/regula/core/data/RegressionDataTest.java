package dev.regula.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.tensor.Tensor;
import org.junit.jupiter.api.Test;

class RegressionDataTest {
    private static Dataset rows(float[] x, int d, float[] y) {
        return new Dataset(Tensor.wrap(x, x.length / d, d), Tensor.wrap(y, y.length), 0);
    }

    /** sklearn PolynomialFeatures(2, include_bias=False).fit_transform([[2, 3]]) = [[2, 3, 4, 6, 9]]. */
    @Test
    void polynomialFeaturesInScikitLearnOrder() {
        Dataset d = rows(new float[] {2, 3, -1, 0.5f}, 2, new float[] {1, 2});
        Dataset p = PolynomialFeatures.expand(d, 2);
        assertArrayEquals(new int[] {2, 5}, p.features().shape());
        assertArrayEquals(new float[] {2, 3, 4, 6, 9, -1, 0.5f, 1, -0.5f, 0.25f}, p.features().data());
        assertEquals(9, PolynomialFeatures.expand(d, 3).features().dim(1));
        assertEquals(9, PolynomialFeatures.count(2, 3));
        assertEquals(65, PolynomialFeatures.count(10, 2));
        assertEquals(d, PolynomialFeatures.expand(d, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PolynomialFeatures.expand(d, 0));
        assertTrue(e.getMessage().contains("[1, 4]"), e.getMessage());
    }

    @Test
    void columnStandardizerScalesEachColumnWithTheTrainingStatistics() {
        Dataset train = rows(new float[] {1, 100, 3, 300}, 2, new float[] {0, 0});
        ColumnStandardizer s = ColumnStandardizer.fit(train);
        assertArrayEquals(new double[] {2, 200}, s.mean());
        assertArrayEquals(new double[] {1, 100}, s.std());
        assertArrayEquals(new float[] {-1, -1, 1, 1}, s.apply(train).features().data());
        assertArrayEquals(new float[] {2, 1}, s.apply(rows(new float[] {4, 300}, 2, new float[] {0})).features().data());
        // a constant column keeps std 1
        assertArrayEquals(new double[] {1}, ColumnStandardizer.fit(rows(new float[] {5, 5}, 1, new float[] {0, 0})).std());
    }

    @Test
    void integerTargetsBecomeRealTargetsAndAreStandardized() {
        Dataset classes = new Dataset(Tensor.wrap(new float[] {0, 1, 2}, 3, 1), Tensor.wrap(new float[] {151, 75, 141}, 3), 152);
        Dataset t = RegressionTargets.asTargets(classes);
        assertEquals(0, t.numClasses());
        assertArrayEquals(new int[] {3, 1}, t.labels().shape());
        RegressionTargets s = RegressionTargets.fit(t);
        assertEquals(367 / 3.0, s.mean(), 1e-9);
        Dataset z = s.apply(t);
        double sum = 0;
        for (float v : z.labels().data()) sum += v;
        assertEquals(0, sum, 1e-5);
        assertEquals((151 - s.mean()) / s.std(), z.labels().get(0), 1e-5);
    }
}
