package dev.regula.core.regularizer.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.Mode;
import dev.regula.api.UnsupportedShapeException;
import dev.regula.api.StepContext;
import dev.regula.api.regularizer.BatchRegularizer;
import dev.regula.api.regularizer.LabelMix;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.spec.SpecException;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.kernels.ScalarKernels;
import dev.regula.core.loss.MixedTargets;
import dev.regula.core.loss.SoftmaxCrossEntropy;
import dev.regula.core.testing.GradientCheck;
import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class BatchRegularizersTest {
    private static BatchRegularizer create(String spec) {
        return (BatchRegularizer) Regularizers.installed().parse(spec);
    }

    private static StepContext at(long step) {
        return new StepContext(Mode.TRAIN, step, 0, 0.1, 42, new ScalarKernels());
    }

    /** n images [1, h, w]; every pixel of image i holds the value i + 1. */
    private static Tensor constantImages(int n, int h, int w) {
        Tensor t = Tensor.zeros(n, 1, h, w);
        for (int i = 0; i < n; i++) Arrays.fill(t.data(), i * h * w, (i + 1) * h * w, i + 1);
        return t;
    }

    private static Tensor labels(int n) {
        Tensor y = Tensor.zeros(n);
        for (int i = 0; i < n; i++) y.set(i, i % 10);
        return y;
    }

    /** Kolmogorov–Smirnov distance of the sample to a CDF. */
    private static double ks(double[] sample, DoubleUnaryOperator cdf) {
        double[] s = sample.clone();
        Arrays.sort(s);
        double d = 0;
        for (int i = 0; i < s.length; i++) {
            double f = cdf.applyAsDouble(s[i]);
            d = Math.max(d, Math.max(Math.abs((i + 1.0) / s.length - f), Math.abs(f - (double) i / s.length)));
        }
        return d;
    }

    private static double[] lambdas(String spec, int n) {
        LabelMixing m = (LabelMixing) create(spec);
        double[] l = new double[n];
        for (int i = 0; i < n; i++) l[i] = m.lambdaAt(at(i));
        return l;
    }

    @Test
    void mixupLambdaFollowsBetaAlphaAlpha() {
        int n = 4000;
        double critical = 1.63 / Math.sqrt(n); // KS at the 1 % level
        // Beta(1/2, 1/2) is the arcsine law, Beta(2, 2) has CDF 3x² − 2x³, Beta(1, 1) is uniform
        double arcsine = ks(lambdas("mixup(alpha=0.5)", n), x -> 2 / Math.PI * Math.asin(Math.sqrt(x)));
        assertTrue(arcsine < critical, "Beta(0.5, 0.5): KS " + arcsine + " >= " + critical);
        double beta22 = ks(lambdas("mixup(alpha=2)", n), x -> 3 * x * x - 2 * x * x * x);
        assertTrue(beta22 < critical, "Beta(2, 2): KS " + beta22 + " >= " + critical);
        double uniform = ks(lambdas("cutmix(alpha=1)", n), x -> x);
        assertTrue(uniform < critical, "Beta(1, 1): KS " + uniform + " >= " + critical);
        // and the test can fail: the arcsine sample is far from Beta(2, 2)
        assertTrue(ks(lambdas("mixup(alpha=0.5)", n), x -> 3 * x * x - 2 * x * x * x) > 5 * critical);
    }

    @Test
    void smallAlphaLambdasMeanAndVarianceMatchBeta() {
        double a = 0.2;
        double[] l = lambdas("mixup(alpha=0.2)", 4000);
        double mean = Arrays.stream(l).average().orElseThrow();
        double var = Arrays.stream(l).map(x -> (x - mean) * (x - mean)).sum() / l.length;
        assertEquals(0.5, mean, 0.03);
        assertEquals(1 / (4 * (2 * a + 1)), var, 0.02); // Beta(a, a): variance 1/(4(2a + 1))
    }

    @Test
    void mixupMixesEachExampleWithItsPartnerAndReturnsThePartnersLabels() {
        BatchRegularizer m = create("mixup(alpha=0.4)");
        assertTrue(m.mixesLabels());
        Tensor x = constantImages(6, 2, 2);
        Tensor y = labels(6);
        LabelMix mix = m.apply(x, y, at(5));
        double l = mix.lambda();
        for (int i = 0; i < 6; i++) {
            int partner = (int) mix.otherLabels().get(i); // labels are i here, so the label names the partner
            assertEquals((float) (l * (i + 1) + (1 - l) * (partner + 1)), x.get(i * 4), 1e-5f, "example " + i);
        }
        Tensor again = constantImages(6, 2, 2);
        assertEquals(l, create("mixup(alpha=0.4)").apply(again, y, at(5)).lambda(), "same seed and step, same draw");
        assertArrayEquals(x.data(), again.data());
        assertFalse(Arrays.equals(x.data(), apply("mixup(alpha=0.4)", 6, 6).data()), "another step, another draw");
    }

    private static Tensor apply(String spec, int n, long step) {
        Tensor x = constantImages(n, 2, 2);
        create(spec).apply(x, labels(n), at(step));
        return x;
    }

    @Test
    void cutmixLabelWeightIsTheShareOfOwnPixels() {
        BatchRegularizer c = create("cutmix(alpha=1)");
        for (int step = 0; step < 50; step++) {
            Tensor x = constantImages(4, 10, 10);
            LabelMix mix = c.apply(x, labels(4), at(step));
            for (int i = 0; i < 4; i++) {
                int own = 0;
                for (int k = 0; k < 100; k++) if (x.get(i * 100 + k) == i + 1) own++;
                int partner = (int) mix.otherLabels().get(i);
                double expected = partner == i ? 1.0 : own / 100.0;
                if (partner != i) assertEquals(expected, mix.lambda(), 1e-12, "step " + step + " example " + i);
            }
        }
        assertThrows(UnsupportedShapeException.class, () -> c.apply(Tensor.zeros(2, 5), labels(2), at(0)));
    }

    @Test
    void randomErasingErasesTheStatedShareOfExamplesWithinTheScaleRange() {
        BatchRegularizer r = create("random-erasing(p=0.3, value=-7)");
        int n = 200;
        int steps = 10;
        int erased = 0;
        for (int step = 0; step < steps; step++) {
            Tensor x = constantImages(n, 20, 20);
            assertNull(r.apply(x, labels(n), at(step)));
            for (int i = 0; i < n; i++) {
                int cells = 0;
                for (int k = 0; k < 400; k++) if (x.get(i * 400 + k) == -7f) cells++;
                if (cells > 0) {
                    erased++;
                    assertTrue(cells >= 0.02 * 400 * 0.6 && cells <= 0.33 * 400 * 1.4, "erased area " + cells + " of 400");
                }
            }
        }
        double rate = erased / (double) (n * steps);
        double sd = Math.sqrt(0.3 * 0.7 / (n * steps));
        assertEquals(0.3, rate, 4 * sd, "share of erased examples");
    }

    @Test
    void cutoutClearsASquareClippedAtTheBorder() {
        Tensor x = constantImages(300, 12, 12);
        create("cutout(size=4, value=0)").apply(x, labels(300), at(1));
        int full = 0;
        for (int i = 0; i < 300; i++) {
            int cells = 0;
            for (int k = 0; k < 144; k++) if (x.get(i * 144 + k) == 0f) cells++;
            assertTrue(cells >= 4 && cells <= 16, "cells " + cells); // a corner centre keeps 2 × 2
            if (cells == 16) full++;
        }
        assertTrue(full > 100, "most squares lie inside: " + full);
    }

    @Test
    void flipShiftFlipsAtTheStatedRateAndShiftsWithinRange() {
        // one bright pixel at (row 5, col 2) of a 11×11 image; its new place tells the flip and shift
        BatchRegularizer f = create("flip-shift(flip=0.5, shift=2)");
        int n = 2000;
        Tensor x = Tensor.zeros(n, 11, 11);
        for (int i = 0; i < n; i++) x.set(i * 121 + 5 * 11 + 2, 1f);
        f.apply(x, labels(n), at(3));
        int flipped = 0;
        int[] dyCount = new int[5];
        for (int i = 0; i < n; i++) {
            int at = -1;
            for (int k = 0; k < 121; k++) if (x.get(i * 121 + k) == 1f) at = k;
            assertTrue(at >= 0, "the pixel stays inside, example " + i);
            int row = at / 11;
            int col = at % 11;
            int dy = row - 5;
            assertTrue(Math.abs(dy) <= 2);
            dyCount[dy + 2]++;
            boolean mirror = Math.abs(col - 2) > 2; // mirrored column 8 ± 2
            if (mirror) flipped++;
            assertTrue(Math.abs((mirror ? col - 8 : col - 2)) <= 2);
        }
        assertEquals(0.5, flipped / (double) n, 4 * Math.sqrt(0.25 / n));
        for (int c : dyCount) assertEquals(0.2, c / (double) n, 4 * Math.sqrt(0.16 / n), Arrays.toString(dyCount));
    }

    @Test
    void flipShiftFillsWithTheExamplesMinimum() {
        Tensor x = Tensor.of(new float[] {-1, 3, 4, 5}, 1, 2, 2);
        BatchRegularizer f = create("flip-shift(flip=0, shift=1)");
        // find a step with a non-zero shift and check the shifted-in pixels hold -1
        for (int step = 0; step < 20; step++) {
            Tensor t = x.copy();
            f.apply(t, labels(1), at(step));
            if (!Arrays.equals(t.data(), x.data())) {
                for (float v : t.data()) assertTrue(v == -1 || v == 3 || v == 4 || v == 5, Arrays.toString(t.data()));
                return;
            }
        }
        throw new AssertionError("no shift in 20 steps");
    }

    @Test
    void mixedLossGradientMatchesFiniteDifferencesAndTheReferenceFormula() {
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        Tensor out = GradientCheck.random(3, 2f, 4, 3);
        Tensor ya = Tensor.of(new float[] {0, 1, 2, 0}, 4);
        Tensor yb = Tensor.of(new float[] {2, 2, 0, 1}, 4);
        LabelMix mix = new LabelMix(0.3, yb);
        dev.regula.api.loss.Loss mixed = new dev.regula.api.loss.Loss() {
            @Override
            public String name() {
                return "mixed";
            }

            @Override
            public double compute(Tensor o, Tensor t, Tensor g, dev.regula.api.kernels.Kernels k) {
                return MixedTargets.compute(ce, o, t, mix, g, k);
            }
        };
        GradientCheck.checkLoss(mixed, out, ya);
        ScalarKernels k = new ScalarKernels();
        double expected = 0.3 * ce.compute(out, ya, Tensor.zeros(4, 3), k) + 0.7 * ce.compute(out, yb, Tensor.zeros(4, 3), k);
        assertEquals(expected, mixed.compute(out, ya, Tensor.zeros(4, 3), k), 1e-12);
    }

    @Test
    void badKeysAreRefusedNamingTheKey() {
        for (String bad : new String[] {"mixup(alpha=0)", "random-erasing(p=2)", "random-erasing(scale_min=0.5, scale_max=0.1)",
                "cutout(size=0)", "flip-shift(fill=edge)"}) {
            SpecException e = assertThrows(SpecException.class, () -> create(bad), bad);
            assertNotNull(e.getMessage());
        }
    }

    @Test
    void flatSquareExamplesAreReadAsOnePlaneAndTheLayoutCanBeGiven() {
        Tensor images = GradientCheck.random(4, 1f, 8, 1, 4, 4);
        Tensor flat = images.copy().reshape(8, 16);
        Tensor declared = images.copy().reshape(8, 16);
        create("flip-shift(shift=1)").apply(images, labels(8), at(2));
        create("flip-shift(shift=1)").apply(flat, labels(8), at(2));
        create("flip-shift(shift=1, image=4x4)").apply(declared, labels(8), at(2));
        assertArrayEquals(images.data(), flat.data());
        assertArrayEquals(images.data(), declared.data());
        UnsupportedShapeException notSquare = assertThrows(UnsupportedShapeException.class,
                () -> create("cutout()").apply(Tensor.zeros(2, 12), labels(2), at(0)));
        assertTrue(notSquare.getMessage().contains("image=HxW"), notSquare.getMessage());
        create("cutout(image=3x4)").apply(Tensor.zeros(2, 12), labels(2), at(0));
        SpecException bad = assertThrows(SpecException.class, () -> create("cutout(image=28by28)"));
        assertTrue(bad.getMessage().contains("image=28by28") && bad.getMessage().contains("CxHxW"), bad.getMessage());
    }
}
