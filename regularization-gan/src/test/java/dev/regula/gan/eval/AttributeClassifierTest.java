package dev.regula.gan.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.tensor.Tensor;
import dev.regula.gan.testing.TestImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AttributeClassifierTest {
    private static AttributeClassifier classifier;
    private static Tensor[] test;

    @BeforeAll
    static void train() {
        Tensor[] data = TestImages.labelled(1, 256, 16);
        classifier = AttributeClassifier.train(data[0], data[1], 8, 7);
        test = TestImages.labelled(2, 128, 16);
    }

    @Test
    void learnsVisibleAttributesWellAboveChance() {
        float[] acc = classifier.accuracy(test[0], test[1]);
        assertEquals(5, acc.length);
        for (int a = 0; a < 4; a++) assertTrue(acc[a] > 0.9f, "attribute " + a + " accuracy " + acc[a]);
        assertTrue(acc[4] > 0.9f, "mean accuracy " + acc[4]);
    }

    @Test
    void cannotReadAttributesThatAreNotInTheImage() {
        // The same images scored against another set's labels: no signal, so near chance.
        Tensor[] other = TestImages.labelled(3, 128, 16);
        float[] acc = classifier.accuracy(test[0], other[1]);
        assertTrue(acc[4] < 0.7f, "accuracy against unrelated labels " + acc[4]);
    }

    @Test
    void predictionsAreProbabilitiesAndInferenceIsDeterministic() {
        Tensor p = classifier.predict(test[0]);
        assertArrayEquals(new int[] {128, 4}, p.shape());
        for (float v : p.data()) assertTrue(v >= 0 && v <= 1, "probability " + v);
        assertArrayEquals(p.data(), classifier.predict(test[0]).data());
        float[][] e = classifier.embed(test[0]);
        assertEquals(128, e.length);
        assertEquals(AttributeClassifier.EMBEDDING, e[0].length);
        for (float[] row : e) for (float v : row) assertTrue(v >= 0, "embedding is after a ReLU: " + v);
        assertEquals(4, classifier.attributes());
    }

    @Test
    void evaluateAgreesWithPredictAndEmbedAcrossChunks() {
        Tensor[] many = TestImages.labelled(4, 300, 16); // more than one chunk of 256
        AttributeClassifier.Evaluation e = classifier.evaluate(many[0], many[1]);
        float[][] embedding = classifier.embed(many[0]);
        assertEquals(300, e.embedding().length);
        for (int i = 0; i < 300; i++) assertArrayEquals(embedding[i], e.embedding()[i], "row " + i);
        float[] p = classifier.predict(many[0]).data();
        float[] y = many[1].data();
        for (int a = 0; a < 4; a++) {
            int correct = 0;
            for (int i = 0; i < 300; i++) if ((p[i * 4 + a] >= 0.5f) == (y[i * 4 + a] >= 0.5f)) correct++;
            assertEquals(correct / 300f, e.accuracy()[a], 1e-7f, "attribute " + a);
        }
        assertArrayEquals(e.accuracy(), classifier.accuracy(many[0], many[1]));
    }

    @Test
    void refusesBadShapesAndLabels() {
        assertThrows(ShapeMismatchException.class, () -> classifier.predict(Tensor.zeros(2, 3, 32, 32)));
        assertThrows(ShapeMismatchException.class, () -> classifier.accuracy(test[0], Tensor.zeros(128, 3)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AttributeClassifier.train(Tensor.zeros(2, 3, 8, 8), Tensor.of(new float[] {0, 2, 1, 0}, 2, 2), 1, 1));
        assertTrue(e.getMessage().contains("[0, 1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AttributeClassifier.train(test[0], test[1], 0, 1));
    }
}
