package dev.regula.gan.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DiversityTermTest {
    private static final int S = 8;
    private static final int LATENT = 5;

    private static Tensor random(Random r, double scale, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) (scale * r.nextGaussian());
        return t;
    }

    /** L = −w·mean min(d/dz, τ), from the definition, in double. */
    private static double loss(DiversityTerm term, Tensor x, Tensor z) {
        int n = x.dim(0);
        int per = x.rowSize();
        double total = 0;
        for (int i = 0; i + 1 < n; i += 2) {
            double dz = 0;
            for (int j = 0; j < LATENT; j++) dz += Math.abs(z.data()[i * LATENT + j] - z.data()[(i + 1) * LATENT + j]);
            dz /= LATENT;
            double d = 0;
            int count = 0;
            for (int c = 0; c < 3; c++) {
                for (int y = S / 4; y < S - S / 4; y++) {
                    for (int xx = S / 4; xx < S - S / 4; xx++) {
                        int a = i * per + (c * S + y) * S + xx;
                        d += Math.abs((double) x.data()[a] - x.data()[a + per]);
                        count++;
                    }
                }
            }
            total += Math.min(d / count / dz, term.cap());
        }
        return -term.weight() * total / (n / 2);
    }

    @Test
    void gradientMatchesFiniteDifferencesOfTheLoss() {
        Random r = new Random(7);
        // a large cap: every pair below it, so every pair has a gradient
        DiversityTerm term = new DiversityTerm(0.7, 100);
        Tensor x = random(r, 0.5, 6, 3, S, S);
        Tensor z = random(r, 1, 6, LATENT);
        Tensor grad = Tensor.zeros(6, 3, S, S);
        double ratio = term.addGradient(x, z, grad);
        assertEquals(-loss(term, x, z) / term.weight(), ratio, 1e-6, "the returned ratio is −L/w");
        double h = 1e-3;
        int checked = 0;
        for (int i = 0; i < x.size(); i += 7) {
            float v = x.data()[i];
            x.data()[i] = (float) (v + h);
            double up = loss(term, x, z);
            x.data()[i] = (float) (v - h);
            double down = loss(term, x, z);
            x.data()[i] = v;
            double fd = (up - down) / (2 * h);
            assertEquals(fd, grad.data()[i], 1e-4 + 1e-3 * Math.abs(fd), "element " + i);
            checked += grad.data()[i] != 0 ? 1 : 0;
        }
        assertTrue(checked > 20, "the check must meet elements inside the face region: " + checked);
    }

    @Test
    void onlyTheFaceRegionIsRewardedAndPairsAtTheCapAreLeftAlone() {
        Random r = new Random(3);
        Tensor x = random(r, 0.5, 4, 3, S, S);
        Tensor z = random(r, 1, 4, LATENT);
        Tensor grad = Tensor.zeros(4, 3, S, S);
        double ratio = new DiversityTerm(1, 1e-6).addGradient(x, z, grad);
        assertEquals(1e-6, ratio, 1e-12, "every pair differs by more than the tiny cap");
        assertArrayEquals(new float[grad.size()], grad.data(), "no reward beyond the cap");

        new DiversityTerm(1, 100).addGradient(x, z, grad);
        int per = 3 * S * S;
        for (int n = 0; n < 4; n++) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < S; y++) {
                    for (int xx = 0; xx < S; xx++) {
                        boolean face = y >= S / 4 && y < S - S / 4 && xx >= S / 4 && xx < S - S / 4;
                        float g = grad.data()[n * per + (c * S + y) * S + xx];
                        assertEquals(face, g != 0, "image " + n + " (" + c + ", " + y + ", " + xx + ")");
                    }
                }
            }
        }
    }

    @Test
    void gradientPushesAPairApart() {
        Random r = new Random(5);
        Tensor x = random(r, 0.1, 2, 3, S, S);
        Tensor z = random(r, 1, 2, LATENT);
        DiversityTerm term = new DiversityTerm(1, 100);
        double before = term.addGradient(x, z, Tensor.zeros(2, 3, S, S));
        for (int step = 0; step < 5; step++) {
            Tensor grad = Tensor.zeros(2, 3, S, S);
            term.addGradient(x, z, grad);
            for (int i = 0; i < x.size(); i++) x.data()[i] -= 0.01f * grad.data()[i] * x.rowSize();
        }
        assertTrue(term.addGradient(x, z, Tensor.zeros(2, 3, S, S)) > before, "descending the loss makes the pair differ more");
    }

    @Test
    void conditionsArePairedAndAnOddLastRowKeepsItsOwn() {
        Tensor c = Tensor.wrap(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 5, 2);
        Tensor p = DiversityTerm.pairedConditions(c);
        assertArrayEquals(new float[] {1, 2, 1, 2, 5, 6, 5, 6, 9, 10}, p.data());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, c.data(), "the input is not changed");
    }

    @Test
    void equalLatentsAndSingleRowsAskNothing() {
        Tensor x = random(new Random(1), 0.5, 3, 3, S, S);
        Tensor z = Tensor.zeros(3, LATENT);
        Tensor grad = Tensor.zeros(3, 3, S, S);
        assertEquals(0.25, new DiversityTerm(1, 0.25).addGradient(x, z, grad), 0.0, "equal latents count as at the cap");
        assertArrayEquals(new float[grad.size()], grad.data());
        assertTrue(Double.isNaN(new DiversityTerm(1, 0.25).addGradient(Tensor.zeros(1, 3, S, S), Tensor.zeros(1, LATENT),
                Tensor.zeros(1, 3, S, S))));
    }

    @Test
    void badSettingsAndShapesAreRefusedByName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new DiversityTerm(0, 1)).getMessage().contains("weight"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new DiversityTerm(Double.NaN, 1)).getMessage().contains("weight"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new DiversityTerm(1, -1)).getMessage().contains("cap"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new DiversityTerm(1, Double.POSITIVE_INFINITY))
                .getMessage().contains("cap"));
        DiversityTerm term = new DiversityTerm(1, 1);
        assertThrows(ShapeMismatchException.class, () -> term.addGradient(Tensor.zeros(4, 3, S, S), Tensor.zeros(3, LATENT),
                Tensor.zeros(4, 3, S, S)));
        assertThrows(ShapeMismatchException.class, () -> term.addGradient(Tensor.zeros(4, 3, S, S), Tensor.zeros(4, LATENT),
                Tensor.zeros(4, 3, S, S - 1)));
    }
}
