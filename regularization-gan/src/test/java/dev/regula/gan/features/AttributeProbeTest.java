package dev.regula.gan.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.tensor.Tensor;
import dev.regula.gan.faces.FaceAttributes;
import dev.regula.gan.faces.FaceDataset;
import dev.regula.gan.faces.SyntheticFaces;
import dev.regula.gan.prior.FacePrior;
import dev.regula.gan.testing.TestImages;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttributeProbeTest {
    private static final List<String> ALL = FaceAttributes.BINARY_NAMES;

    /**
     * The probe's contract against the renderer's ground truth: fitted on 4,096 rendered faces, it
     * reads each attribute of 2,048 other faces (another seed) with accuracy ≥ 0.95 (threshold 0.5)
     * and root-mean-square error ≤ 0.3 against the 0/1 label.
     */
    @Test
    void readsEveryAttributeOfUnseenRenderedFacesAsTheRendererDrewIt() {
        AttributeProbe probe = FacePrior.probe(SyntheticFaces.generate(4096, 32, 11), ALL);
        FaceDataset test = SyntheticFaces.generate(2048, 32, 12);
        Tensor phi = probe.extract(test.images());
        for (int k = 0; k < ALL.size(); k++) {
            int right = 0;
            double se = 0;
            for (int i = 0; i < test.size(); i++) {
                float truth = test.labels().get(i * ALL.size() + k);
                float read = phi.get(i * ALL.size() + k);
                if ((read > 0.5f) == (truth > 0.5f)) right++;
                se += (read - truth) * (read - truth);
            }
            double accuracy = right / (double) test.size();
            double rmse = Math.sqrt(se / test.size());
            assertTrue(accuracy >= 0.95, ALL.get(k) + ": accuracy " + accuracy);
            assertTrue(rmse <= 0.3, ALL.get(k) + ": rmse " + rmse);
            double fitted = probe.residualRms()[k];
            assertTrue(fitted > 0 && Math.abs(fitted - rmse) < 0.1, ALL.get(k) + ": residual on the fitting faces " + fitted
                    + " is close to the error on unseen ones " + rmse);
        }
    }

    @Test
    void readsOnlyTheNamedAttributesInTheGivenOrder() {
        FaceDataset faces = SyntheticFaces.generate(1024, 32, 3);
        AttributeProbe probe = FacePrior.probe(faces, List.of("glasses", "smiling"));
        assertEquals(List.of("glasses", "smiling"), probe.names());
        Tensor phi = probe.extract(faces.images());
        assertEquals(2, phi.dim(1));
        int right = 0;
        for (int i = 0; i < faces.size(); i++) {
            if ((phi.get(2 * i) > 0.5f) == (faces.labels().get(4 * i + 1) > 0.5f)) right++;
        }
        assertTrue(right > 0.95 * faces.size(), "column 0 is glasses: " + right);
    }

    @Test
    void gradientIsTheExactDerivativeOfTheLinearProbe() {
        AttributeProbe probe = FacePrior.probe(SyntheticFaces.generate(512, 16, 5), ALL);
        Tensor x = TestImages.random(1, 2, 16);
        Tensor weights = TestImages.uniform(2, 1f, 2, ALL.size());
        Tensor grad = Tensor.zeros(x.shape());
        probe.accumulateGradient(weights, grad);
        float[] data = x.data();
        for (int i = 0; i < data.length; i += 7) {
            float old = data[i];
            data[i] = old + 0.5f;
            double up = dot(probe.extract(x), weights);
            data[i] = old - 0.5f;
            double down = dot(probe.extract(x), weights);
            data[i] = old;
            assertEquals((up - down) / 1.0, grad.get(i), 1e-3 + 1e-3 * Math.abs(grad.get(i)), "pixel " + i);
        }
    }

    @Test
    void gradientIsAddedNotOverwritten() {
        AttributeProbe probe = FacePrior.probe(SyntheticFaces.generate(512, 16, 5), ALL);
        Tensor w = TestImages.uniform(3, 1f, 2, ALL.size());
        Tensor once = Tensor.zeros(2, 3, 16, 16);
        probe.accumulateGradient(w, once);
        Tensor twice = Tensor.zeros(2, 3, 16, 16);
        probe.accumulateGradient(w, twice);
        probe.accumulateGradient(w, twice);
        for (int i = 0; i < once.size(); i++) assertEquals(2 * once.get(i), twice.get(i), 1e-6f);
    }

    @Test
    void rejectsWrongShapes() {
        AttributeProbe probe = FacePrior.probe(SyntheticFaces.generate(256, 16, 5), ALL);
        ShapeMismatchException size = assertThrows(ShapeMismatchException.class, () -> probe.extract(Tensor.zeros(1, 3, 32, 32)));
        assertTrue(size.getMessage().contains("[N, 3, 16, 16]"), size.getMessage());
        assertThrows(ShapeMismatchException.class, () -> probe.accumulateGradient(Tensor.zeros(1, 3), Tensor.zeros(1, 3, 16, 16)));
        assertThrows(ShapeMismatchException.class,
                () -> AttributeProbe.fit(Tensor.zeros(4, 3, 20, 20), Tensor.zeros(4, 1), List.of("smiling")));
        assertThrows(ShapeMismatchException.class,
                () -> AttributeProbe.fit(Tensor.zeros(4, 3, 16, 16), Tensor.zeros(4, 2), List.of("smiling")));
    }

    private static double dot(Tensor a, Tensor b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) s += (double) a.get(i) * b.get(i);
        return s;
    }
}
