package dev.regula.gan.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.tensor.Tensor;
import dev.regula.gan.testing.TestImages;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FaceFeaturesTest {
    private static final double ROOT_EPS = Math.sqrt(FaceFeatures.EPSILON);

    @Test
    void namesAreOnePerFeatureAndUnique() {
        FaceFeatures phi = new FaceFeatures(32);
        List<String> names = phi.names();
        assertEquals(phi.dimension(), names.size());
        assertEquals(names.size(), new HashSet<>(names).size(), "duplicate names in " + names);
        assertTrue(names.containsAll(List.of("hair.r", "background.b", "brightness", "contrast", "symmetry",
                "edges.dx", "eyes.dy", "mouth.contrast", "mouth.curve")), names.toString());
        assertEquals(33, phi.dimension());
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 16, 32, 64})
    void solidColourHasClosedFormFeatures(int size) {
        FaceFeatures phi = new FaceFeatures(size);
        float r = 0.6f;
        float g = -0.2f;
        float b = 0.1f;
        Tensor f = phi.extract(TestImages.solid(2, size, r, g, b));
        assertArrayEquals(new int[] {2, phi.dimension()}, f.shape());
        double luma = 0.299 * r + 0.587 * g + 0.114 * b;
        for (int n = 0; n < 2; n++) {
            for (int d = 0; d < phi.dimension(); d++) {
                String name = phi.names().get(d);
                double expected;
                if (name.endsWith(".r")) expected = r;
                else if (name.endsWith(".g")) expected = g;
                else if (name.endsWith(".b")) expected = b;
                else if (name.equals("brightness")) expected = luma;
                else expected = 0; // contrast, symmetry, edges, curve: nothing varies
                assertEquals(expected, f.get(n, d), 1e-5, name + " at size " + size);
            }
        }
    }

    @Test
    void halfDarkHalfBrightHasClosedFormTexture() {
        int s = 16;
        Tensor img = TestImages.solid(1, s, -1, -1, -1);
        float[] d = img.data();
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < s; y++) {
                for (int x = s / 2; x < s; x++) d[(c * s + y) * s + x] = 1;
            }
        }
        FaceFeatures phi = new FaceFeatures(s);
        Tensor f = phi.extract(img);
        // Y is −1 on the left half and +1 on the right: variance 1, one jump of 2 per row.
        assertEquals(0, value(phi, f, "brightness"), 1e-6);
        assertEquals(Math.sqrt(1 + FaceFeatures.EPSILON) - ROOT_EPS, value(phi, f, "contrast"), 1e-6);
        assertEquals(Math.sqrt(4 + FaceFeatures.EPSILON) - ROOT_EPS, value(phi, f, "symmetry"), 1e-6);
        assertEquals(Math.sqrt(4.0 / (s - 1) + FaceFeatures.EPSILON) - ROOT_EPS, value(phi, f, "edges.dx"), 1e-6);
        assertEquals(0, value(phi, f, "edges.dy"), 1e-6);
        assertEquals(0, value(phi, f, "background.r"), 1e-6, "half the corners are dark, half bright: mean 0");
    }

    @ParameterizedTest
    @ValueSource(ints = {32, 64})
    void mouthCurveTellsSmileFromFrown(int size) {
        FaceFeatures phi = new FaceFeatures(size);
        double smile = value(phi, phi.extract(mouth(size, true)), "mouth.curve");
        double frown = value(phi, phi.extract(mouth(size, false)), "mouth.curve");
        assertTrue(smile > 0.1, "smile curve " + smile);
        assertTrue(frown < -0.1, "frown curve " + frown);
        double flat = value(phi, phi.extract(TestImages.solid(1, size, 0.5f, 0.2f, 0f)), "mouth.curve");
        assertEquals(0, flat, 1e-6);
    }

    @Test
    void glassesRaiseEyeEdgeEnergy() {
        int s = 32;
        FaceFeatures phi = new FaceFeatures(s);
        Tensor plain = TestImages.solid(1, s, 0.5f, 0.2f, 0f);
        Tensor glasses = plain.copy();
        // Dark frames around both eyes, as a renderer would draw them.
        for (int[] eye : new int[][] {{8, 14}, {18, 24}}) {
            for (int x = eye[0]; x <= eye[1]; x++) {
                for (int y : new int[] {12, 16}) darken(glasses, s, x, y);
            }
            for (int y = 12; y <= 16; y++) {
                darken(glasses, s, eye[0], y);
                darken(glasses, s, eye[1], y);
            }
        }
        Tensor fp = phi.extract(plain);
        Tensor fg = phi.extract(glasses);
        for (String name : List.of("eyes.dx", "eyes.dy", "eyes.contrast")) {
            assertTrue(value(phi, fg, name) > value(phi, fp, name) + 0.2, name + ": " + value(phi, fg, name));
        }
        assertEquals(value(phi, fp, "mouth.dx"), value(phi, fg, "mouth.dx"), 1e-7, "glasses leave the mouth alone");
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 32})
    void backwardMatchesFiniteDifferencesInDouble(int size) {
        FaceFeatures phi = new FaceFeatures(size);
        Tensor images = TestImages.random(size, 2, size);
        Tensor upstream = TestImages.uniform(5, 1f, 2, phi.dimension());
        Tensor grad = phi.backward(images, upstream);
        float[] x = images.data();
        int perImage = 3 * size * size;
        float[] luma = new float[size * size];
        double[] plus = new double[phi.dimension()];
        double[] minus = new double[phi.dimension()];
        int stride = size == 16 ? 1 : 5; // every pixel at 16, a spread-out subset at 32
        for (int i = 0; i < x.length; i += stride) {
            int n = i / perImage;
            float old = x[i];
            float hi = old + 1e-3f;
            float lo = old - 1e-3f;
            x[i] = hi;
            phi.features(x, n * perImage, luma, plus);
            x[i] = lo;
            phi.features(x, n * perImage, luma, minus);
            x[i] = old;
            double numeric = 0;
            for (int d = 0; d < plus.length; d++) numeric += upstream.get(n, d) * (plus[d] - minus[d]);
            numeric /= (double) hi - lo;
            double analytic = grad.get(i);
            double tol = 1e-5 + 1e-3 * Math.abs(numeric);
            if (!(Math.abs(analytic - numeric) <= tol)) {
                fail("d/dimage[" + i + "] at size " + size + ": analytic " + analytic + " vs finite difference " + numeric);
            }
        }
    }

    @Test
    void eachFeatureHasItsOwnCorrectGradient() {
        // A one-hot upstream isolates each feature, so a wrong index table cannot hide behind a sum.
        int s = 16;
        FaceFeatures phi = new FaceFeatures(s);
        Tensor images = TestImages.random(9, 1, s);
        float[] x = images.data();
        float[] luma = new float[s * s];
        double[] plus = new double[phi.dimension()];
        double[] minus = new double[phi.dimension()];
        for (int d = 0; d < phi.dimension(); d++) {
            Tensor upstream = Tensor.zeros(1, phi.dimension());
            upstream.set(0, d, 1f);
            Tensor grad = phi.backward(images, upstream);
            for (int i = d % 3; i < x.length; i += 3) {
                float old = x[i];
                x[i] = old + 1e-3f;
                phi.features(x, 0, luma, plus);
                x[i] = old - 1e-3f;
                phi.features(x, 0, luma, minus);
                double numeric = (plus[d] - minus[d]) / ((double) (old + 1e-3f) - (old - 1e-3f));
                x[i] = old;
                assertEquals(numeric, grad.get(i), 1e-5 + 1e-3 * Math.abs(numeric), phi.names().get(d) + " d/dimage[" + i + "]");
            }
        }
    }

    @Test
    void accumulateGradientAddsToWhatIsThere() {
        FaceFeatures phi = new FaceFeatures(16);
        Tensor images = TestImages.random(3, 2, 16);
        Tensor upstream = TestImages.uniform(4, 1f, 2, phi.dimension());
        Tensor fresh = phi.backward(images, upstream);
        Tensor acc = Tensor.zeros(images.shape()).fill(0.25f);
        phi.accumulateGradient(images, upstream, acc);
        for (int i = 0; i < acc.size(); i++) assertEquals(0.25f + fresh.get(i), acc.get(i), 1e-6f);
    }

    @Test
    void batchRowsAreIndependentAndExtractionIsThreadSafe() {
        FaceFeatures phi = new FaceFeatures(32);
        Tensor batch = TestImages.random(11, 4, 32);
        Tensor all = phi.extract(batch);
        int per = 3 * 32 * 32;
        List<float[]> parallel = IntStream.range(0, 4).parallel().mapToObj(n -> {
            float[] one = java.util.Arrays.copyOfRange(batch.data(), n * per, (n + 1) * per);
            return phi.extract(Tensor.wrap(one, 1, 3, 32, 32)).data();
        }).toList();
        for (int n = 0; n < 4; n++) {
            for (int d = 0; d < phi.dimension(); d++) assertEquals(all.get(n, d), parallel.get(n)[d], 0f);
        }
        assertTrue(all.allFinite());
    }

    @Test
    void shapeErrorsNameWhatIsExpected() {
        FaceFeatures phi = new FaceFeatures(16);
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> phi.extract(Tensor.zeros(1, 3, 32, 32)));
        assertTrue(e.getMessage().contains("[N, 3, 16, 16]"), e.getMessage());
        assertThrows(ShapeMismatchException.class, () -> phi.extract(Tensor.zeros(1, 1, 16, 16)));
        assertThrows(ShapeMismatchException.class, () -> phi.extract(Tensor.zeros(3, 16, 16)));
        Tensor images = Tensor.zeros(2, 3, 16, 16);
        assertThrows(ShapeMismatchException.class, () -> phi.backward(images, Tensor.zeros(2, phi.dimension() + 1)));
        assertThrows(ShapeMismatchException.class, () -> phi.backward(images, Tensor.zeros(1, phi.dimension())));
        assertThrows(ShapeMismatchException.class,
                () -> phi.accumulateGradient(images, Tensor.zeros(2, phi.dimension()), Tensor.zeros(1, 3, 16, 16)));
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class, () -> new FaceFeatures(4));
        assertTrue(small.getMessage().contains("[8, 4096]"), small.getMessage());
    }

    private static double value(FaceFeatures phi, Tensor features, String name) {
        int d = phi.names().indexOf(name);
        if (d < 0) fail("no feature " + name);
        return features.get(0, d);
    }

    private static void darken(Tensor img, int s, int x, int y) {
        for (int c = 0; c < 3; c++) img.data()[(c * s + y) * s + x] = -1f;
    }

    /** Skin-coloured image with a dark mouth line: a U (smile) or a ∩ (frown). */
    private static Tensor mouth(int s, boolean smile) {
        Tensor img = TestImages.solid(1, s, 0.5f, 0.2f, 0f);
        for (double fx = 0.36; fx <= 0.64; fx += 0.5 / s) {
            double t = (fx - 0.5) / 0.14;
            double fy = smile ? 0.77 - 0.12 * t * t : 0.65 + 0.12 * t * t;
            int x = (int) Math.floor(fx * s);
            int y = (int) Math.floor(fy * s);
            darken(img, s, x, y);
        }
        return img;
    }
}
