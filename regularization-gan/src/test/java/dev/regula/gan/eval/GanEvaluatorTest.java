package dev.regula.gan.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.tensor.Tensor;
import dev.regula.gan.faces.FaceAttributes;
import dev.regula.gan.faces.FaceDataset;
import dev.regula.gan.features.AttributeProbe;
import dev.regula.gan.testing.TestImages;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GanEvaluatorTest {
    private static final int SIZE = 16;
    private static final List<String> ALL = FaceAttributes.BINARY_NAMES;
    private static AttributeProbe probe;
    private static GanEvaluator evaluator;

    private static FaceDataset set(long seed, int n) {
        Tensor[] t = TestImages.labelled(seed, n, SIZE);
        return new FaceDataset(t[0], List.of(), t[1]);
    }

    @BeforeAll
    static void build() {
        FaceDataset train = set(9, 512);
        probe = AttributeProbe.fit(train.images(), train.labels(), ALL);
        evaluator = new GanEvaluator(set(10, 256), set(11, 256), set(12, 128), ALL, probe, 3, 8);
    }

    private static int[] groups(int n, int per) {
        int[] g = new int[n];
        for (int i = 0; i < n; i++) g[i] = i / per;
        return g;
    }

    @Test
    void realBaselineIsAccurateCloseAndDiverse() {
        GanScores b = evaluator.realBaseline();
        assertTrue(b.meanAccuracy() > 0.85, "held-out real accuracy " + b.meanAccuracy());
        assertEquals(4, b.attributeAccuracy().length);
        assertTrue(b.frechet() >= 0 && Double.isFinite(b.kid()));
        assertTrue(b.precision() > 0.5 && b.recall() > 0.5, "real vs real precision/recall: " + b);
        assertTrue(b.diversity() > 0.1, "real faces sharing labels still differ: " + b.diversity());
        assertTrue(b.featureError() < 0.5, "the probe reads real faces: " + b.featureError());
    }

    /** A "generator" that draws real faces: for each condition row, a fresh image of the test data with those labels. */
    private static Tensor drawReal(long seed, Tensor conditions) {
        Tensor[] pool = TestImages.labelled(seed, 8192, SIZE);
        int n = conditions.dim(0);
        int per = 3 * SIZE * SIZE;
        Tensor out = Tensor.zeros(n, 3, SIZE, SIZE);
        boolean[] used = new boolean[pool[1].dim(0)];
        for (int i = 0; i < n; i++) {
            int j = 0;
            while (used[j] || !java.util.Arrays.equals(java.util.Arrays.copyOfRange(pool[1].data(), 4 * j, 4 * j + 4),
                    java.util.Arrays.copyOfRange(conditions.data(), 4 * i, 4 * i + 4))) j++;
            used[j] = true;
            System.arraycopy(pool[0].data(), j * per, out.data(), i * per, per);
        }
        return out;
    }

    /** The first 16 held-out conditions, each 8 times. */
    private static Tensor variantConditions() {
        Tensor c = evaluator.heldOutConditions();
        Tensor out = Tensor.zeros(128, 4);
        for (int i = 0; i < 128; i++) System.arraycopy(c.data(), (i / 8) * 4, out.data(), i * 4, 4);
        return out;
    }

    @Test
    void aFaithfulGeneratorScoresLikeRealDataWhileNoiseAndCollapseScoreBadly() {
        Tensor c = evaluator.heldOutConditions();
        Tensor variants = drawReal(16, variantConditions());
        GanScores good = evaluator.score(drawReal(13, c), c, variants, groups(128, 8));
        assertTrue(good.meanAccuracy() > 0.85, "accuracy " + good.meanAccuracy());

        Tensor noise = TestImages.uniform(14, 1f, 128, 3, SIZE, SIZE);
        GanScores bad = evaluator.score(noise, c, noise, groups(128, 8));
        assertTrue(bad.meanAccuracy() < good.meanAccuracy() - 0.2, bad + " vs " + good);
        assertTrue(bad.frechet() > 3 * good.frechet() && bad.frechet() > 1, bad + " vs " + good);
        assertTrue(bad.precision() < good.precision(), bad + " vs " + good);

        // Mode collapse within each condition: the same image 8 times per group.
        Tensor collapsed = Tensor.zeros(128, 3, SIZE, SIZE);
        int per = 3 * SIZE * SIZE;
        for (int i = 0; i < 128; i++) System.arraycopy(variants.data(), (i / 8) * 8 * per, collapsed.data(), i * per, per);
        GanScores same = evaluator.score(drawReal(13, c), c, collapsed, groups(128, 8));
        assertEquals(0, same.diversity(), 1e-9);
        assertTrue(good.diversity() > 0.1, "distinct images per group: " + good.diversity());
    }

    /**
     * The evaluation is measured the way the baseline is: a generator that draws real faces scores
     * the baseline, up to sampling noise, over several draws.
     */
    @Test
    void aGeneratorThatDrawsRealFacesScoresTheBaseline() {
        GanScores b = evaluator.realBaseline();
        Tensor c = evaluator.heldOutConditions();
        Tensor variants = drawReal(16, variantConditions());
        double sum = 0;
        for (long seed = 20; seed < 23; seed++) {
            GanScores real = evaluator.score(drawReal(seed, c), c, variants, groups(128, 8));
            sum += real.frechet();
            assertEquals(b.meanAccuracy(), real.meanAccuracy(), 0.05, "accuracy");
        }
        assertEquals(b.frechet(), sum / 3, 0.35 * b.frechet(), "mean Fréchet of three draws of real faces against the baseline " + b);
    }

    /**
     * Only the held-out faces' own conditions, in their order, are scored the way the baseline is:
     * the same rows reordered (which a count check lets through) are refused, and so are variants
     * of another image size.
     */
    @Test
    void refusesConditionsOtherThanTheHeldOutFacesAndVariantsOfAnotherSize() {
        Tensor c = evaluator.heldOutConditions();
        Tensor reversed = Tensor.zeros(c.shape());
        int n = c.dim(0);
        for (int i = 0; i < n; i++) System.arraycopy(c.data(), (n - 1 - i) * 4, reversed.data(), i * 4, 4);
        assertTrue(!java.util.Arrays.equals(c.data(), reversed.data()), "the test needs another order");
        Tensor variants = drawReal(16, variantConditions());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> evaluator.score(drawReal(13, reversed), reversed, variants, groups(128, 8)));
        assertTrue(e.getMessage().contains("conditions must be heldOutConditions(), row for row: row "), e.getMessage());
        ShapeMismatchException s = assertThrows(ShapeMismatchException.class,
                () -> evaluator.score(drawReal(13, c), c, Tensor.zeros(16, 3, 8, 8), groups(16, 8)));
        assertTrue(s.getMessage().contains("variants must have shape [M, 3, 16, 16]"), s.getMessage());
    }

    @Test
    void selectsThePriorsColumns() {
        FaceDataset train = set(9, 256);
        AttributeProbe two = AttributeProbe.fit(train.images(), dev.regula.gan.prior.FacePrior.conditions(train.labels(),
                List.of("pale_skin", "glasses")), List.of("pale_skin", "glasses"));
        GanEvaluator e = new GanEvaluator(set(10, 64), set(11, 64), set(12, 64), List.of("pale_skin", "glasses"), two, 3, 2);
        Tensor labels = Tensor.wrap(new float[] {1, 0, 0, 1}, 1, 4);
        assertEquals(List.of(1f, 0f), List.of(e.select(labels).get(0), e.select(labels).get(1)));
        assertEquals(2, e.realBaseline().attributeAccuracy().length);
    }

    @Test
    void refusesBadShapes() {
        FaceDataset imgs = set(15, 8);
        Tensor c = evaluator.heldOutConditions();
        Tensor images = drawReal(13, c);
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                () -> evaluator.score(imgs.images(), imgs.labels(), imgs.images(), groups(8, 2)));
        assertTrue(e.getMessage().contains("one image per held-out face, shape [128, 3, S, S]"), e.getMessage());
        assertThrows(ShapeMismatchException.class, () -> evaluator.score(images, Tensor.zeros(128, 3), images, groups(128, 2)));
        assertThrows(IllegalArgumentException.class, () -> evaluator.score(images, c, images, groups(4, 1)));
        assertThrows(IllegalArgumentException.class, () -> new GanEvaluator(set(1, 4), set(2, 64), set(3, 64), ALL, null, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new GanEvaluator(set(1, 64), set(2, 64), set(3, 64), List.of("beard"), null, 1, 1));
    }
}
