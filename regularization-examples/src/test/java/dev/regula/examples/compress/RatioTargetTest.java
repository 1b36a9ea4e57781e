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

    private static int nonZero(MixtureQuantizer m, List<float[]> w, double radius) {
        int n = 0;
        for (float[] t : w) for (int c : m.assign(t, radius)) if (c != 0) n++;
        return n;
    }

    @Test
    void reachesTargetsAboveAndBelowTheLearnedMixturesRatioWithTheSmallestRadius() {
        List<float[]> w = weights();
        double learned = RatioTarget.ratio(mixture(), w, 300, 0.045); // about where the mixture itself prunes
        double previous = -1;
        for (double target : new double[] {0.7 * learned, 1.5 * learned, 3 * learned}) {
            RatioTarget.Choice c = RatioTarget.choose(mixture(), w, 300, target);
            assertTrue(c.reached(), "target " + target);
            assertTrue(c.ratio() >= target, c.ratio() + " < " + target);
            assertEquals(c.ratio(), RatioTarget.ratio(mixture(), w, 300, c.radius()), 0, "the choice's ratio is the radius's");
            assertTrue(c.radius() > previous, "a higher target prunes within a larger radius: " + c.radius());
            previous = c.radius();
            // minimal: a slightly smaller radius falls short, by pruning fewer weights
            double less = c.radius() * (1 - 1e-6);
            assertTrue(RatioTarget.ratio(mixture(), w, 300, less) < target, "radius " + c.radius() + " is not the smallest for " + target);
            assertTrue(nonZero(mixture(), w, less) > nonZero(mixture(), w, c.radius()));
        }
    }

    @Test
    void aLargerRadiusOnlyPrunesMoreAndOutsideItTheMixtureDecides() {
        List<float[]> w = weights();
        int[] small = mixture().assign(w.get(0), 0.02);
        int[] large = mixture().assign(w.get(0), 0.05);
        int[] own = mixture().assign(w.get(0));
        for (int i = 0; i < small.length; i++) {
            if (small[i] == 0) assertEquals(0, large[i], "pruned at 0.02 but not at 0.05: " + w.get(0)[i]);
            assertEquals(Math.abs(w.get(0)[i]) < 0.05, large[i] == 0, "pruned exactly within the radius: " + w.get(0)[i]);
            if (large[i] != 0 && own[i] != 0) assertEquals(own[i], large[i], "outside the radius, the mixture's component: " + w.get(0)[i]);
        }
    }

    @Test
    void anUnreachableTargetIsReportedNotMet() {
        List<float[]> w = weights();
        RatioTarget.Choice c = RatioTarget.choose(mixture(), w, 300, 1e6);
        assertFalse(c.reached());
        assertEquals(0, nonZero(mixture(), w, c.radius()), "every weight pruned");
        assertTrue(c.ratio() < 1e6);
    }

    @Test
    void badTargetsAndRadiiAreRefusedWithTheValue() {
        List<float[]> w = weights();
        for (double t : new double[] {1, 0.5, -3, Double.NaN, Double.POSITIVE_INFINITY}) {
            var e = assertThrows(IllegalArgumentException.class, () -> RatioTarget.choose(mixture(), w, 300, t));
            assertTrue(e.getMessage().contains("target compression must be a finite number > 1, got " + t), e.getMessage());
        }
        var e = assertThrows(IllegalArgumentException.class, () -> mixture().assign(w.get(0), -0.1));
        assertTrue(e.getMessage().contains("pruning radius must be >= 0, got -0.1"), e.getMessage());
    }
}
