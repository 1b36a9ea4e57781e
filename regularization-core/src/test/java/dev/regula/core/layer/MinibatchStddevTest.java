package dev.regula.core.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.StepContext;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.testing.GradientCheck;
import org.junit.jupiter.api.Test;

/** The minibatch standard-deviation feature: its value, its groups and its errors (gradients: {@link LayerGradientTest}). */
class MinibatchStddevTest {
    private static final StepContext TRAIN = GradientCheck.train();

    @Test
    void appendsTheMeanStandardDeviationOfEachGroupAsOneConstantChannel() {
        // Two groups of two examples, one channel of 1×2: group 1 differs by (2, 4), group 2 by (0, 6).
        Tensor x = Tensor.of(new float[] {1, 2, 3, 6, 5, 0, 5, 6}, 4, 1, 1, 2);
        Tensor y = new MinibatchStddev("s", 2).forward(x, TRAIN);
        assertArrayEquals(new int[] {4, 2, 1, 2}, y.shape());
        float s1 = (float) ((Math.sqrt(1 + 1e-8) + Math.sqrt(4 + 1e-8)) / 2); // σ = |a − b| / 2
        float s2 = (float) ((Math.sqrt(1e-8) + Math.sqrt(9 + 1e-8)) / 2);
        assertArrayEquals(new float[] {1, 2, s1, s1, 3, 6, s1, s1, 5, 0, s2, s2, 5, 6, s2, s2}, y.data(), 1e-6f);
    }

    @Test
    void anExamplesFeatureDependsOnItsOwnGroupOnly() {
        Tensor x = GradientCheck.random(3, 1f, 8, 3, 2, 2);
        MinibatchStddev layer = new MinibatchStddev("s", 4);
        float[] before = layer.forward(x, StepContext.eval(TRAIN.kernels())).data().clone();
        float[] d = x.data();
        for (int i = 4 * 12; i < d.length; i++) d[i] *= 3; // change the second group only
        float[] after = layer.forward(x, StepContext.eval(TRAIN.kernels())).data();
        int example = 4 * 2 * 2;
        for (int i = 0; i < 4 * example; i++) assertEquals(before[i], after[i], "first group at " + i);
        assertTrue(after[4 * example + 12] > before[4 * example + 12] * 2.9f, "the second group's feature scales with it");
    }

    @Test
    void gradientsOfGroupsOfFourMatchFiniteDifferences() {
        GradientCheck.checkLayer(new MinibatchStddev("s", 4), LayerGradientTest.awayFromZero(5, 8, 2, 3, 2), TRAIN);
    }

    @Test
    void identicalExamplesGiveTheFloorOfTheSquareRoot() {
        Tensor x = Tensor.zeros(2, 1, 2, 2).fill(0.7f);
        float[] y = new MinibatchStddev("s", 2).forward(x, TRAIN).data();
        assertEquals((float) Math.sqrt(MinibatchStddev.EPSILON), y[4], 1e-9f);
    }

    /**
     * Exclusive EVAL forwards reuse a buffer of their own, never the TRAIN output, and leave what the
     * pending backward needs alone.
     */
    @Test
    void exclusiveEvalForwardsBetweenTrainForwardAndBackwardUseTheirOwnBuffer() {
        StepContext exclusive = StepContext.exclusiveEval(TRAIN.kernels());
        Tensor x = GradientCheck.random(1, 1f, 4, 2, 2, 2);
        Tensor upstream = GradientCheck.random(2, 1f, 4, 3, 2, 2);
        MinibatchStddev plain = new MinibatchStddev("s", 2);
        plain.forward(x.copy(), TRAIN);
        float[] expected = plain.backward(upstream, TRAIN).data().clone();

        MinibatchStddev layer = new MinibatchStddev("s", 2);
        Tensor trained = layer.forward(x.copy(), TRAIN);
        float[] kept = trained.data().clone();
        Tensor first = layer.forward(GradientCheck.random(3, 1f, 4, 2, 2, 2), exclusive);
        Tensor second = layer.forward(x, exclusive);
        org.junit.jupiter.api.Assertions.assertNotSame(trained, first);
        org.junit.jupiter.api.Assertions.assertSame(first, second, "the exclusive buffer is reused");
        assertArrayEquals(kept, second.data(), 0f, "the exclusive forward of the same input gives the TRAIN values");
        assertArrayEquals(kept, trained.data(), 0f, "the TRAIN output is left alone");
        assertArrayEquals(expected, layer.backward(upstream, TRAIN).data(), 0f, "backward after exclusive forwards");
    }

    @Test
    void rejectsBatchesThatAreNotWholeGroupsAndBadShapes() {
        MinibatchStddev layer = new MinibatchStddev("mbstd", 4);
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> layer.forward(Tensor.zeros(6, 1, 2, 2), TRAIN));
        assertTrue(e.getMessage().contains("mbstd") && e.getMessage().contains("multiple of the group size 4"), e.getMessage());
        assertThrows(ShapeMismatchException.class, () -> layer.forward(Tensor.zeros(4, 8), TRAIN));
        assertThrows(IllegalArgumentException.class, () -> new MinibatchStddev("x", 1));
        assertArrayEquals(new int[] {5, 4, 4}, layer.outputShape(new int[] {4, 4, 4}));
    }
}
