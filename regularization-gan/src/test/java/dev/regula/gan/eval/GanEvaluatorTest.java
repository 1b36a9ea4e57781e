package dev.regula.gan.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.tensor.Tensor;
import dev.regula.gan.features.FaceFeatures;
import dev.regula.gan.testing.TestImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GanEvaluatorTest {
    private static final int SIZE = 16;
    private static FaceFeatures phi;
    private static GanEvaluator evaluator;

    @BeforeAll
    static void build() {
        phi = new FaceFeatures(SIZE);
        Tensor[] real = TestImages.labelled(10, 256, SIZE);
        evaluator = new GanEvaluator(real[0], real[1], phi, 3, 8);
    }

    @Test
    void realBaselineIsAccurateAndClose() {
        GanScores b = evaluator.realBaseline();
        assertEquals(0, b.featureError());
        assertTrue(b.attributeAccuracy() > 0.85, "held-out real accuracy " + b.attributeAccuracy());
        assertTrue(b.frechet() >= 0);
        assertTrue(Double.isFinite(b.kid()));
    }

    @Test
    void aFaithfulGeneratorScoresLikeRealDataAndNoiseScoresBadly() {
        Tensor[] faithful = TestImages.labelled(11, 128, SIZE);
        Tensor c = phi.extract(faithful[0]);
        GanScores good = evaluator.score(faithful[0], c, faithful[1]);
        assertEquals(0, good.featureError(), 1e-6, "phi(G) = c exactly");
        assertTrue(good.attributeAccuracy() > 0.85, "accuracy " + good.attributeAccuracy());

        Tensor noise = TestImages.uniform(12, 1f, 128, 3, SIZE, SIZE);
        GanScores bad = evaluator.score(noise, c, faithful[1]);
        assertTrue(bad.featureError() > 0.5, "noise does not follow the prior: " + bad.featureError());
        assertTrue(bad.attributeAccuracy() < good.attributeAccuracy() - 0.2, bad + " vs " + good);
        assertTrue(bad.frechet() > 3 * good.frechet() && bad.frechet() > 1, bad + " vs " + good);
        assertTrue(bad.kid() > 3 * Math.abs(good.kid()) && bad.kid() > 0.1, bad + " vs " + good);
        GanScores base = evaluator.realBaseline();
        assertTrue(good.kid() < base.kid() + 0.5 && good.frechet() < 2 * base.frechet() + 5, good + " vs baseline " + base);
    }

    @Test
    void featureErrorIsTheMeanEuclideanDistance() {
        Tensor[] imgs = TestImages.labelled(13, 4, SIZE);
        Tensor c = phi.extract(imgs[0]);
        for (int i = 0; i < c.size(); i++) c.set(i, c.get(i) + (i % phi.dimension() == 0 ? 3f : 0f));
        assertEquals(3, evaluator.score(imgs[0], c, imgs[1]).featureError(), 1e-5);
    }

    @Test
    void refusesBadShapes() {
        Tensor[] imgs = TestImages.labelled(14, 4, SIZE);
        assertThrows(ShapeMismatchException.class, () -> evaluator.score(imgs[0], Tensor.zeros(4, 3), imgs[1]));
        assertThrows(ShapeMismatchException.class,
                () -> evaluator.score(Tensor.zeros(4, 3, 32, 32), Tensor.zeros(4, phi.dimension()), imgs[1]));
        assertThrows(IllegalArgumentException.class,
                () -> new GanEvaluator(Tensor.zeros(4, 3, SIZE, SIZE), Tensor.zeros(4, 4), phi, 1));
    }
}
