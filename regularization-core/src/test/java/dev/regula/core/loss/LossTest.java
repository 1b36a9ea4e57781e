package dev.regula.core.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.kernels.Kernels;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.kernels.ScalarKernels;
import dev.regula.core.testing.GradientCheck;
import org.junit.jupiter.api.Test;

class LossTest {
    private static final Kernels K = new ScalarKernels();

    private static Tensor labels(float... v) {
        return Tensor.of(v, v.length);
    }

    @Test
    void crossEntropyGradients() {
        GradientCheck.checkLoss(new SoftmaxCrossEntropy(), GradientCheck.random(1, 3f, 4, 5), labels(0, 4, 2, 2));
    }

    @Test
    void crossEntropyWithLabelSmoothingGradients() {
        GradientCheck.checkLoss(new SoftmaxCrossEntropy(0.1), GradientCheck.random(2, 3f, 4, 5), labels(1, 3, 0, 4));
        GradientCheck.checkLoss(new SoftmaxCrossEntropy(1.0), GradientCheck.random(3, 3f, 2, 3), labels(1, 2));
    }

    @Test
    void crossEntropyValues() {
        Tensor g = Tensor.zeros(1, 4);
        assertEquals(Math.log(4), new SoftmaxCrossEntropy().compute(Tensor.zeros(1, 4), labels(2), g, K), 1e-12);
        assertArrayEquals(new float[] {0.25f, 0.25f, -0.75f, 0.25f}, g.data(), 1e-7f);

        // logits [1, 2, 3], label 0, ε = 0.3: q = [0.8, 0.1, 0.1]
        Tensor x = Tensor.of(new float[] {1, 2, 3}, 1, 3);
        double lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
        double expected = -(0.8 * (1 - lse) + 0.1 * (2 - lse) + 0.1 * (3 - lse));
        assertEquals(expected, new SoftmaxCrossEntropy(0.3).compute(x, labels(0), Tensor.zeros(1, 3), K), 1e-6);

        // mean over the batch
        Tensor two = Tensor.of(new float[] {0, 0, 0, 0, 0, 0}, 2, 3);
        assertEquals(Math.log(3), new SoftmaxCrossEntropy().compute(two, labels(0, 1), Tensor.zeros(2, 3), K), 1e-12);
    }

    @Test
    void crossEntropyIsStableForHugeLogits() {
        Tensor x = Tensor.of(new float[] {1e30f, -1e30f, 0f, 5000f, 4000f, -5000f}, 2, 3);
        Tensor g = Tensor.zeros(2, 3);
        double loss = new SoftmaxCrossEntropy().compute(x, labels(1, 0), g, K);
        assertEquals((2e30 + 0) / 2, loss, 1e24);
        assertTrue(g.allFinite());
    }

    @Test
    void crossEntropyRejectsBadLabelsAndShapes() {
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ce.compute(Tensor.zeros(2, 3), labels(0, 3), Tensor.zeros(2, 3), K));
        assertTrue(e.getMessage().contains("row 1") && e.getMessage().contains("[0, 3)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ce.compute(Tensor.zeros(1, 3), labels(-1), Tensor.zeros(1, 3), K));
        assertThrows(IllegalArgumentException.class, () -> ce.compute(Tensor.zeros(1, 3), labels(1.5f), Tensor.zeros(1, 3), K));
        assertThrows(IllegalArgumentException.class, () -> ce.compute(Tensor.zeros(1, 3), labels(Float.NaN), Tensor.zeros(1, 3), K));
        ShapeMismatchException s = assertThrows(ShapeMismatchException.class,
                () -> ce.compute(Tensor.zeros(2, 3), labels(0, 1, 2), Tensor.zeros(2, 3), K));
        assertTrue(s.getMessage().contains("[2]") && s.getMessage().contains("[3]"), s.getMessage());
        assertThrows(ShapeMismatchException.class, () -> ce.compute(Tensor.zeros(2, 3), Tensor.zeros(2, 3), Tensor.zeros(2, 3), K));
        assertThrows(ShapeMismatchException.class, () -> ce.compute(Tensor.zeros(6), labels(0), Tensor.zeros(6), K));
        assertThrows(ShapeMismatchException.class, () -> ce.compute(Tensor.zeros(2, 3), labels(0, 1), Tensor.zeros(3, 2), K));
        assertThrows(IllegalArgumentException.class, () -> new SoftmaxCrossEntropy(1.5));
    }

    @Test
    void binaryCrossEntropyGradients() {
        Tensor target = GradientCheck.random(4, 0.5f, 3, 4);
        for (int i = 0; i < target.size(); i++) target.set(i, target.get(i) + 0.5f);
        GradientCheck.checkLoss(new BinaryCrossEntropyWithLogits(), GradientCheck.random(5, 4f, 3, 4), target);
    }

    @Test
    void binaryCrossEntropyValuesAndStability() {
        BinaryCrossEntropyWithLogits bce = new BinaryCrossEntropyWithLogits();
        Tensor g = Tensor.zeros(2, 1);
        assertEquals(Math.log(2), bce.compute(Tensor.zeros(2, 1), Tensor.of(new float[] {0, 1}, 2, 1), g, K), 1e-12);
        assertArrayEquals(new float[] {0.25f, -0.25f}, g.data(), 1e-7f);
        // x = 100, t = 0 costs 100; x = −100, t = 0 costs ≈ 0; no overflow
        double l = bce.compute(Tensor.of(new float[] {100, -100}, 2, 1), Tensor.of(new float[] {0, 0}, 2, 1), g, K);
        assertEquals(50, l, 1e-9);
        assertArrayEquals(new float[] {0.5f, 0f}, g.data(), 1e-7f);
        // mean over all elements (as PyTorch)
        double x = 0.3;
        double per = Math.log1p(Math.exp(-x));
        assertEquals(per, bce.compute(Tensor.of(new float[] {0.3f, 0.3f, 0.3f, 0.3f}, 2, 2),
                Tensor.of(new float[] {1, 1, 1, 1}, 2, 2), Tensor.zeros(2, 2), K), 1e-7);
    }

    @Test
    void binaryCrossEntropyRejectsBadTargets() {
        BinaryCrossEntropyWithLogits bce = new BinaryCrossEntropyWithLogits();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bce.compute(Tensor.zeros(2, 1), Tensor.of(new float[] {0, 3}, 2, 1), Tensor.zeros(2, 1), K));
        assertTrue(e.getMessage().contains("[0, 1]") && e.getMessage().contains("index 1"), e.getMessage());
        assertThrows(ShapeMismatchException.class, () -> bce.compute(Tensor.zeros(2, 1), Tensor.zeros(2), Tensor.zeros(2, 1), K));
        assertThrows(ShapeMismatchException.class, () -> bce.compute(Tensor.zeros(0, 1), Tensor.zeros(0, 1), Tensor.zeros(0, 1), K));
    }

    @Test
    void meanSquaredErrorGradientsAndValues() {
        GradientCheck.checkLoss(new MeanSquaredError(), GradientCheck.random(6, 2f, 3, 4), GradientCheck.random(7, 2f, 3, 4));
        Tensor g = Tensor.zeros(2, 2);
        double l = new MeanSquaredError().compute(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2),
                Tensor.of(new float[] {0, 2, 3, 6}, 2, 2), g, K);
        assertEquals((1 + 0 + 0 + 4) / 4.0, l, 1e-12);
        assertArrayEquals(new float[] {0.5f, 0f, 0f, -1f}, g.data());
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> new MeanSquaredError()
                .compute(Tensor.zeros(2, 2), Tensor.zeros(4), Tensor.zeros(2, 2), K));
        assertTrue(e.getMessage().contains("mean-squared-error") && e.getMessage().contains("[4]"), e.getMessage());
    }
}
