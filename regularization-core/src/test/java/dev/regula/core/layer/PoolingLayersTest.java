package dev.regula.core.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.Mode;
import dev.regula.api.ShapeMismatchException;
import dev.regula.api.StepContext;
import dev.regula.api.model.Layer;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.testing.GradientCheck;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** MaxPool2d and AvgPool2d: finite-difference gradients, hand-computed values, shapes and errors. */
class PoolingLayersTest {
    private static final StepContext TRAIN = GradientCheck.train();
    private static final StepContext EVAL = TRAIN.withMode(Mode.EVAL);

    /**
     * Distinct values 0.1 apart in random order, so no window holds two values closer than the
     * finite-difference step and the maximum is differentiable at the point checked.
     */
    private static Tensor separated(long seed, int... shape) {
        Tensor t = Tensor.zeros(shape);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) order.add(i);
        Collections.shuffle(order, new Random(seed));
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] = 0.1f * order.get(i) - 0.05f * d.length;
        return t;
    }

    @Test
    void maxPoolGradientsMatchFiniteDifferences() {
        GradientCheck.checkLayer(new MaxPool2d("p", 2, 2), separated(1, 2, 3, 4, 6), TRAIN);
        GradientCheck.checkLayer(new MaxPool2d("p", 3, 2), separated(2, 2, 2, 7, 5), TRAIN); // overlapping, odd
        GradientCheck.checkLayer(new MaxPool2d("p", 2, 3), separated(3, 1, 1, 5, 8), TRAIN); // gaps
    }

    @Test
    void avgPoolGradientsMatchFiniteDifferences() {
        GradientCheck.checkLayer(new AvgPool2d("p", 2, 2), GradientCheck.random(4, 1.5f, 2, 3, 4, 6), TRAIN);
        GradientCheck.checkLayer(new AvgPool2d("p", 3, 2), GradientCheck.random(5, 1.5f, 2, 2, 7, 5), TRAIN);
        GradientCheck.checkLayer(new AvgPool2d("p", 2, 3), GradientCheck.random(6, 1.5f, 1, 1, 5, 8), TRAIN);
    }

    @Test
    void valuesMatchHandComputedWindows() {
        Tensor x = Tensor.wrap(new float[] {
                1, 2, 3, 4, 0,
                5, 6, 7, 8, 0,
                -1, -2, -3, -4, 0,
                -5, -6, -7, -8, 0,
                9, 9, 9, 9, 9}, 1, 1, 5, 5);
        Tensor max = new MaxPool2d("m", 2, 2).forward(x, EVAL);
        assertArrayEquals(new int[] {1, 1, 2, 2}, max.shape());
        assertArrayEquals(new float[] {6, 8, -1, -3}, max.data());
        Tensor avg = new AvgPool2d("a", 2, 2).forward(x, EVAL);
        assertArrayEquals(new float[] {3.5f, 5.5f, -3.5f, -5.5f}, avg.data());
    }

    @Test
    void maxPoolRoutesGradientToTheMaximumOnly() {
        MaxPool2d p = new MaxPool2d("m", 2, 2);
        p.forward(Tensor.wrap(new float[] {1, 4, 3, 2}, 1, 1, 2, 2), TRAIN);
        Tensor g = p.backward(Tensor.wrap(new float[] {5}, 1, 1, 1, 1), TRAIN);
        assertArrayEquals(new float[] {0, 5, 0, 0}, g.data());
    }

    @Test
    void evalForwardBetweenTrainForwardAndBackwardChangesNothing() {
        for (Layer layer : List.of(new MaxPool2d("m", 2, 2), new AvgPool2d("a", 2, 2))) {
            Tensor x = separated(7, 2, 2, 4, 4);
            Tensor y = layer.forward(x, TRAIN).copy();
            Tensor upstream = GradientCheck.random(8, 1f, y.shape());
            Layer fresh = layer instanceof MaxPool2d ? new MaxPool2d("m", 2, 2) : new AvgPool2d("a", 2, 2);
            fresh.forward(x, TRAIN);
            Tensor expected = fresh.backward(upstream.copy(), TRAIN);
            layer.forward(separated(9, 3, 2, 6, 6), EVAL);
            layer.forward(separated(10, 3, 2, 6, 6), StepContext.exclusiveEval(TRAIN.kernels()));
            assertArrayEquals(expected.data(), layer.backward(upstream.copy(), TRAIN).data(), layer.name());
        }
    }

    @Test
    void maxPoolTiesGoToTheFirstMaximumAndNaNWins() {
        MaxPool2d p = new MaxPool2d("m", 2, 2);
        Tensor y = p.forward(Tensor.wrap(new float[] {1, 3, 3, 0, 2, Float.NaN, 1, 2}, 1, 2, 2, 2), TRAIN);
        assertArrayEquals(new float[] {3, Float.NaN}, y.data());
        Tensor g = p.backward(Tensor.wrap(new float[] {5, 7}, 1, 2, 1, 1), TRAIN);
        assertArrayEquals(new float[] {0, 5, 0, 0, 0, 7, 0, 0}, g.data());
    }

    @Test
    void backwardReusesItsInputGradientBuffer() {
        for (Layer layer : List.of(new MaxPool2d("m", 2, 2), new AvgPool2d("a", 2, 2))) {
            layer.forward(separated(1, 2, 1, 4, 4), TRAIN);
            Tensor first = layer.backward(GradientCheck.random(2, 1f, 2, 1, 2, 2), TRAIN);
            layer.forward(separated(3, 2, 1, 4, 4), TRAIN);
            Tensor upstream = GradientCheck.random(4, 1f, 2, 1, 2, 2);
            Tensor second = layer.backward(upstream, TRAIN);
            assertSame(first, second, layer.name());
            Layer fresh = layer instanceof MaxPool2d ? new MaxPool2d("m", 2, 2) : new AvgPool2d("a", 2, 2);
            fresh.forward(separated(3, 2, 1, 4, 4), TRAIN);
            assertArrayEquals(fresh.backward(upstream, TRAIN).data(), second.data(), "stale values overwritten in " + layer.name());
        }
    }

    @Test
    void trainForwardsReuseTheirOutputBuffer() {
        MaxPool2d p = new MaxPool2d("m", 2, 2);
        Tensor a = p.forward(separated(1, 2, 1, 4, 4), TRAIN);
        Tensor b = p.forward(separated(2, 2, 1, 4, 4), TRAIN);
        assertSame(a, b);
    }

    @Test
    void outputShapeFloorsPartialWindows() {
        assertArrayEquals(new int[] {3, 14, 14}, new MaxPool2d("m", 2, 2).outputShape(new int[] {3, 28, 28}));
        assertArrayEquals(new int[] {3, 3, 2}, new AvgPool2d("a", 3, 2).outputShape(new int[] {3, 7, 6}));
    }

    @Test
    void badArgumentsAndShapesGetClearErrors() {
        var k = assertThrows(IllegalArgumentException.class, () -> new MaxPool2d("m", 0, 2));
        assertTrue(k.getMessage().contains("layer 'm'") && k.getMessage().contains("kernel"), k.getMessage());
        var s = assertThrows(IllegalArgumentException.class, () -> new AvgPool2d("a", 2, 0));
        assertTrue(s.getMessage().contains("stride"), s.getMessage());
        var rank = assertThrows(ShapeMismatchException.class, () -> new MaxPool2d("m", 2, 2).forward(Tensor.zeros(2, 16), EVAL));
        assertTrue(rank.getMessage().contains("rank 4") && rank.getMessage().contains("[2, 16]"), rank.getMessage());
        var small = assertThrows(ShapeMismatchException.class, () -> new AvgPool2d("a", 3, 1).outputShape(new int[] {1, 2, 5}));
        assertTrue(small.getMessage().contains("smaller than the pooling kernel 3"), small.getMessage());
        var noForward = assertThrows(IllegalStateException.class,
                () -> new MaxPool2d("m", 2, 2).backward(Tensor.zeros(1, 1, 1, 1), TRAIN));
        assertEquals(true, noForward.getMessage().contains("m"));
    }
}
