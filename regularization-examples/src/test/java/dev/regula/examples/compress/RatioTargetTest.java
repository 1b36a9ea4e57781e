package dev.regula.examples.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The --target-ratio rule on weights clustered as retraining leaves them: it reaches the target with the smallest shift that does. */
class RatioTargetTest {
    /** Two tensors: most weights near 0, the rest around ±0.1 and ±0.2, spread so that the boundaries are crowded. */
    private static List<float[]> weights() {
        Random rnd = new Random(7);
        float[][] t = {new float[20_000], new float[5_000]};
        float[] centres = {-0.2f, -0.1f, 0.1f, 0.2f};
        for (float[] w : t) {
            for (int i = 0; i < w.length; i++) {
                w[i] = rnd.nextInt(10) < 8 ? (float) (0.03 * rnd.nextGaussian()) : centres[rnd.nextInt(4)] + (float) (0.03 * rnd.nextGaussian());
            }
        }
        return List.of(t);
    }

    private static MixtureQuantizer mixture() {
        float[] mu = {0f, -0.2f, -0.1f, 0.1f, 0.2f};
        double[] logPi = {Math.log(0.8), Math.log(0.05), Math.log(0.05), Math.log(0.05), Math.log(0.05)};
        double[] tau = {1 / 9e-4, 1 / 9e-4, 1 / 9e-4, 1 / 9e-4, 1 / 9e-4};
        return new MixtureQuantizer(mu, logPi, tau);
    }

    private static int nonZero(MixtureQuantizer m, List<float[]> w) {
        int n = 0;
        for (float[] t : w) for (int c : m.assign(t)) if (c != 0) n++;
        return n;
    }

    @Test
    void reachesTargetsAboveAndBelowTheLearnedMixturesRatioAndOnlyJust() {
        List<float[]> w = weights();
        double learned = RatioTarget.ratio(mixture(), w, 300);
        for (double target : new double[] {0.7 * learned, 1.5 * learned, 3 * learned}) {
            RatioTarget.Choice c = RatioTarget.choose(mixture(), w, 300, target);
            assertTrue(c.reached(), "target " + target);
            assertTrue(c.ratio() >= target, c.ratio() + " < " + target);
            assertEquals(c.ratio(), RatioTarget.ratio(c.mixture(), w, 300), 0, "the choice's ratio is the mixture's");
            assertEquals(c.delta() > 0, target > learned, "prune more only to compress more: delta " + c.delta());
            // minimal: a slightly smaller shift falls short, by pruning fewer weights
            MixtureQuantizer less = mixture().withZeroBias(c.delta() - 1e-3);
            assertTrue(RatioTarget.ratio(less, w, 300) < target, "delta " + c.delta() + " is not the smallest for " + target);
            assertTrue(nonZero(less, w) >= nonZero(c.mixture(), w));
        }
    }

    @Test
    void anUnreachableTargetIsReportedNotMet() {
        List<float[]> w = weights();
        RatioTarget.Choice c = RatioTarget.choose(mixture(), w, 300, 1e6);
        assertFalse(c.reached());
        assertEquals(RatioTarget.RANGE, c.delta());
        assertTrue(c.ratio() < 1e6);
    }

    @Test
    void badTargetsAreRefusedWithTheValue() {
        List<float[]> w = weights();
        for (double t : new double[] {1, 0.5, -3, Double.NaN, Double.POSITIVE_INFINITY}) {
            var e = assertThrows(IllegalArgumentException.class, () -> RatioTarget.choose(mixture(), w, 300, t));
            assertTrue(e.getMessage().contains("target compression must be a finite number > 1, got " + t), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> mixture().withZeroBias(Double.NaN));
    }
}
