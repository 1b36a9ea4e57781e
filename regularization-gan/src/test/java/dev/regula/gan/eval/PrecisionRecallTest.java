package dev.regula.gan.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PrecisionRecallTest {
    /** n isotropic Gaussian points of width d around centre (same value in each dimension). */
    private static float[][] cluster(long seed, int n, int d, double centre) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = new float[n][d];
        for (float[] row : x) for (int j = 0; j < d; j++) row[j] = (float) (centre + r.nextGaussian());
        return x;
    }

    private static float[][] concat(float[][] a, float[][] b) {
        float[][] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static float[][] column(double... values) {
        float[][] x = new float[values.length][1];
        for (int i = 0; i < values.length; i++) x[i][0] = (float) values[i];
        return x;
    }

    @Test
    void identicalSetsHavePrecisionAndRecallOne() {
        float[][] a = cluster(1, 200, 8, 0);
        PrecisionRecall.Result pr = PrecisionRecall.between(a, a.clone());
        assertEquals(1.0, pr.precision());
        assertEquals(1.0, pr.recall());
    }

    @Test
    void farApartClustersHavePrecisionAndRecallZero() {
        PrecisionRecall.Result pr = PrecisionRecall.between(cluster(2, 150, 4, 0), cluster(3, 120, 4, 100));
        assertEquals(0.0, pr.precision());
        assertEquals(0.0, pr.recall());
    }

    @Test
    void coveringOneOfTwoRealClustersGivesFullPrecisionAndHalfRecall() {
        float[][] left = cluster(4, 100, 4, -50);
        float[][] right = cluster(5, 100, 4, 50);
        float[][] real = concat(left, right);
        // generated = exact copies of the left cluster: every generated point is a real centre,
        // every left real point a generated centre, no right point is near any generated one
        PrecisionRecall.Result copies = PrecisionRecall.between(real, left.clone());
        assertEquals(1.0, copies.precision());
        assertEquals(0.5, copies.recall());
        // generated = fresh draws from the left cluster's distribution: the same up to the
        // k-NN balls' imperfect coverage of a sample
        PrecisionRecall.Result fresh = PrecisionRecall.between(real, cluster(6, 100, 4, -50));
        assertTrue(fresh.precision() >= 0.85, "precision " + fresh.precision());
        assertTrue(fresh.recall() >= 0.4 && fresh.recall() <= 0.5, "recall " + fresh.recall());
    }

    @Test
    void handComputedOneDimensionalCaseWithPointsOnTheBoundary() {
        // real 0, 1, 3, 10 with k = 1: radii 1, 1, 2, 7 -> manifold [-1, 2] ∪ [1, 5] ∪ [3, 17]
        // generated -1 (only on the boundary of 0's ball), 0.5, 6 inside, 20 outside -> 3/4
        // generated radii 1.5, 1.5, 5.5, 14 -> [-2.5, 2] ∪ [0.5, 11.5] ∪ [6, 34] holds every real
        // point -> recall 1
        float[][] real = column(0, 1, 3, 10);
        float[][] generated = column(-1, 0.5, 6, 20);
        PrecisionRecall.Result k1 = PrecisionRecall.between(real, generated, 1);
        assertEquals(0.75, k1.precision());
        assertEquals(1.0, k1.recall());
        // k = 3: real radii 10, 9, 7, 10; 20 is now inside, exactly on the boundary of 10's ball
        PrecisionRecall.Result k3 = PrecisionRecall.between(real, generated, 3);
        assertEquals(1.0, k3.precision());
        assertEquals(1.0, k3.recall());
        // a real point outside every generated ball lowers recall only
        PrecisionRecall.Result extra = PrecisionRecall.between(column(0, 1, 3, 10, -40), generated, 1);
        assertEquals(0.75, extra.precision());
        assertEquals(0.8, extra.recall());
    }

    @Test
    void swappingTheSetsSwapsPrecisionAndRecall() {
        float[][] real = cluster(7, 120, 5, 0);
        float[][] generated = cluster(8, 90, 5, 1);
        PrecisionRecall.Result pr = PrecisionRecall.between(real, generated);
        PrecisionRecall.Result swapped = PrecisionRecall.between(generated, real);
        assertEquals(pr.precision(), swapped.recall());
        assertEquals(pr.recall(), swapped.precision());
        assertTrue(pr.precision() > 0 && pr.precision() < 1, "shifted clusters overlap partly: " + pr);
    }

    @Test
    void matchesANaiveSortingImplementationForSeveralK() {
        float[][] real = cluster(9, 80, 3, 0);
        float[][] generated = concat(cluster(10, 40, 3, 0.7), cluster(11, 30, 3, -2));
        // duplicates: ties at distance 0 count as neighbours
        real[5] = real[6].clone();
        generated[0] = generated[1].clone();
        for (int k = 1; k <= 7; k++) {
            PrecisionRecall.Result pr = PrecisionRecall.between(real, generated, k);
            assertEquals(naiveFraction(generated, real, k), pr.precision(), "precision, k = " + k);
            assertEquals(naiveFraction(real, generated, k), pr.recall(), "recall, k = " + k);
        }
    }

    /** Fraction of the rows of q within the k-NN ball of some row of c, by full sorting. */
    private static double naiveFraction(float[][] q, float[][] c, int k) {
        double[] radius = new double[c.length];
        for (int i = 0; i < c.length; i++) {
            double[] dist = new double[c.length - 1];
            int t = 0;
            for (int j = 0; j < c.length; j++) if (j != i) dist[t++] = squared(c[i], c[j]);
            Arrays.sort(dist);
            radius[i] = dist[k - 1];
        }
        int inside = 0;
        for (float[] p : q) {
            for (int i = 0; i < c.length; i++) {
                if (squared(p, c[i]) <= radius[i]) {
                    inside++;
                    break;
                }
            }
        }
        return (double) inside / q.length;
    }

    private static double squared(float[] a, float[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            double diff = (double) a[j] - b[j];
            s += diff * diff;
        }
        return s;
    }

    @Test
    void kMustBeAtLeastOneAndBelowBothSetSizes() {
        float[][] real = cluster(12, 5, 2, 0);
        float[][] generated = cluster(13, 8, 2, 0);
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> PrecisionRecall.between(real, generated, 0));
        assertTrue(zero.getMessage().contains("k must be at least 1"), zero.getMessage());
        IllegalArgumentException atReal = assertThrows(IllegalArgumentException.class, () -> PrecisionRecall.between(real, generated, 5));
        assertTrue(atReal.getMessage().contains("real (5)") && atReal.getMessage().contains("got 5"), atReal.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PrecisionRecall.between(generated, real, 5));
        PrecisionRecall.Result largest = PrecisionRecall.between(real, generated, 4);
        assertTrue(largest.precision() >= 0 && largest.recall() >= 0);
        // the default k = 3 needs at least 4 rows in each set
        assertThrows(IllegalArgumentException.class, () -> PrecisionRecall.between(column(0, 1, 2), column(0, 1, 2, 3)));
    }

    @Test
    void badEmbeddingsAreRejectedWithWhatWasWrong() {
        float[][] ok = cluster(14, 6, 3, 0);
        IllegalArgumentException width = assertThrows(IllegalArgumentException.class, () -> PrecisionRecall.between(ok, cluster(15, 6, 2, 0)));
        assertTrue(width.getMessage().contains("real has 3 features, generated 2"), width.getMessage());
        float[][] ragged = cluster(16, 6, 3, 0);
        ragged[2] = new float[4];
        IllegalArgumentException r = assertThrows(IllegalArgumentException.class, () -> PrecisionRecall.between(ok, ragged));
        assertTrue(r.getMessage().contains("generated embeddings: row 2 has 4 features"), r.getMessage());
        float[][] nan = cluster(17, 6, 3, 0);
        nan[1][2] = Float.NaN;
        IllegalArgumentException n = assertThrows(IllegalArgumentException.class, () -> PrecisionRecall.between(nan, ok));
        assertTrue(n.getMessage().contains("real embeddings: row 1, feature 2 is NaN"), n.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PrecisionRecall.between(null, ok));
        assertThrows(IllegalArgumentException.class, () -> PrecisionRecall.between(ok, new float[0][]));
    }

    @Test
    void resultRejectsFractionsOutsideZeroToOne() {
        assertThrows(IllegalArgumentException.class, () -> new PrecisionRecall.Result(1.5, 0));
        assertThrows(IllegalArgumentException.class, () -> new PrecisionRecall.Result(0.5, Double.NaN));
    }
}
