package dev.regula.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.regula.api.tensor.Tensor;
import org.junit.jupiter.api.Test;

class StandardizerTest {
    @Test
    void fittedOnTrainingDataGivesZeroMeanUnitVarianceThereAndReusesTheSameStatisticsElsewhere() {
        Dataset train = new Dataset(Tensor.of(new float[] {0, 1, 2, 3, 4, 5}, 3, 2), Tensor.of(new float[] {0, 1, 0}, 3), 2);
        Dataset test = new Dataset(Tensor.of(new float[] {2.5f, 2.5f}, 1, 2), Tensor.of(new float[] {1}, 1), 2);
        Standardizer s = Standardizer.fit(train);
        assertEquals(2.5, s.mean(), 1e-12);
        assertEquals(Math.sqrt(17.5 / 6), s.std(), 1e-12);
        Dataset t = s.apply(train);
        double sum = 0;
        double sq = 0;
        for (float v : t.features().data()) {
            sum += v;
            sq += v * v;
        }
        assertEquals(0, sum / 6, 1e-6);
        assertEquals(1, sq / 6, 1e-6);
        assertEquals(0f, s.apply(test).features().get(0), 0f);
        assertSame(train.labels(), t.labels());
        assertEquals(0f, train.features().get(0), "the input is not modified");
    }

    @Test
    void inPlaceGivesTheSameValuesInTheSameArray() {
        Dataset data = new Dataset(Tensor.of(new float[] {0.1f, 7, -3, 2.25f, 1e-3f, 5}, 3, 2), Tensor.of(new float[] {0, 1, 0}, 3), 2);
        Standardizer s = new Standardizer(1.3, 2.7);
        float[] copied = s.apply(data).features().data();
        float[] storage = data.features().data();
        assertSame(data, s.applyInPlace(data));
        assertSame(storage, data.features().data());
        assertArrayEquals(copied, storage, "bit for bit the values of apply");
    }

    @Test
    void constantFeaturesKeepUnitScaleAndBadStatisticsAreRejected() {
        Dataset flat = new Dataset(Tensor.of(new float[] {3, 3}, 2, 1), Tensor.of(new float[] {0, 1}, 2), 2);
        assertEquals(1, Standardizer.fit(flat).std());
        assertThrows(IllegalArgumentException.class, () -> new Standardizer(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Standardizer(Double.NaN, 1));
    }

    @Test
    void theEightChainSumsAgreeWithExactSumsOnEveryLengthAndTail() {
        java.util.Random random = new java.util.Random(3);
        for (int n : new int[] {1, 7, 8, 9, 15, 16, 17, 1001, 100_003}) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) x[i] = (float) (random.nextGaussian() * 40 + 100);
            java.math.BigDecimal exact = java.math.BigDecimal.ZERO;
            for (float v : x) exact = exact.add(new java.math.BigDecimal(v));
            double mean = exact.doubleValue() / n;
            assertEquals(exact.doubleValue(), Standardizer.sum(x), Math.abs(exact.doubleValue()) * 1e-14, "sum of " + n);
            double oneChain = 0;
            for (float v : x) oneChain += (v - mean) * (v - mean);
            assertEquals(oneChain, Standardizer.squaredDeviations(x, mean), oneChain * 1e-12, "squared deviations of " + n);
        }
    }
}
