package dev.regula.core.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.StepContext;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.testing.GradientCheck;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DenseTest {
    private static final StepContext TRAIN = GradientCheck.train();

    @Test
    void parametersHavePyTorchLayoutNamesAndRoles() {
        Dense d = new Dense("dense1", 784, 256, 1);
        assertEquals("dense1.weight", d.weight().name());
        assertEquals(ParameterRole.WEIGHT, d.weight().role());
        assertArrayEquals(new int[] {256, 784}, d.weight().value().shape());
        assertEquals("dense1.bias", d.bias().name());
        assertEquals(ParameterRole.BIAS, d.bias().role());
        assertArrayEquals(new int[] {256}, d.bias().value().shape());
        assertEquals("dense1", d.weight().layer());
    }

    @Test
    void initialisationIsPyTorchUniformAndSeeded() {
        Dense d = new Dense("d", 100, 50, 7);
        float bound = (float) (1 / Math.sqrt(100));
        double sumSq = 0;
        for (float v : d.weight().value().data()) {
            assertTrue(Math.abs(v) <= bound, "weight " + v + " outside ±" + bound);
            sumSq += v * v;
        }
        // variance of U(-b, b) is b²/3
        assertEquals(bound * bound / 3, sumSq / 5000, bound * bound / 3 * 0.1);
        for (float v : d.bias().value().data()) assertTrue(Math.abs(v) <= bound);
        assertArrayEquals(d.weight().value().data(), new Dense("d", 100, 50, 7).weight().value().data());
        assertFalse(Arrays.equals(d.weight().value().data(), new Dense("d", 100, 50, 8).weight().value().data()));
    }

    @Test
    void forwardAndBackwardMatchHandComputation() {
        Dense d = new Dense("d", 2, 2, 0);
        d.weight().value().copyFrom(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2));
        d.bias().value().copyFrom(Tensor.of(new float[] {0.5f, -1}, 2));
        Tensor x = Tensor.of(new float[] {1, 1, 2, -1}, 2, 2);
        // y = x·Wᵀ + b
        assertArrayEquals(new float[] {3.5f, 6f, 0.5f, 1f}, d.forward(x, TRAIN).data());
        Tensor g = Tensor.of(new float[] {1, 0, 0, 2}, 2, 2);
        Tensor dx = d.backward(g, TRAIN);
        assertArrayEquals(new float[] {1, 2, 6, 8}, dx.data()); // g·W
        assertArrayEquals(new float[] {1, 1, 4, -2}, d.weight().grad().data()); // gᵀ·x
        assertArrayEquals(new float[] {1, 2}, d.bias().grad().data());
        d.forward(x, TRAIN);
        d.backward(g, TRAIN);
        assertArrayEquals(new float[] {2, 2, 8, -4}, d.weight().grad().data(), "gradients accumulate");
    }

    @Test
    void wrongInputShapeNamesLayerAndShapes() {
        Dense d = new Dense("dense1", 4, 3, 0);
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                () -> d.forward(Tensor.zeros(2, 5), TRAIN));
        assertTrue(e.getMessage().contains("dense1") && e.getMessage().contains("[batch, 4]")
                && e.getMessage().contains("[2, 5]"), e.getMessage());
        assertThrows(ShapeMismatchException.class, () -> d.forward(Tensor.zeros(2, 1, 4), TRAIN));
        ShapeMismatchException o = assertThrows(ShapeMismatchException.class, () -> d.outputShape(new int[] {1, 2, 2}));
        assertTrue(o.getMessage().contains("Flatten"), o.getMessage());
    }

    @Test
    void backwardChecksState() {
        Dense d = new Dense("dense1", 4, 3, 0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> d.backward(Tensor.zeros(2, 3), TRAIN));
        assertTrue(e.getMessage().contains("dense1"));
        d.forward(Tensor.zeros(2, 4), StepContext.eval(TRAIN.kernels()));
        assertThrows(IllegalStateException.class, () -> d.backward(Tensor.zeros(2, 3), TRAIN), "EVAL caches nothing");
        d.forward(Tensor.zeros(2, 4), TRAIN);
        ShapeMismatchException s = assertThrows(ShapeMismatchException.class, () -> d.backward(Tensor.zeros(3, 3), TRAIN));
        assertTrue(s.getMessage().contains("dense1") && s.getMessage().contains("[3, 3]"), s.getMessage());
    }

    @Test
    void badConstructionArguments() {
        assertThrows(IllegalArgumentException.class, () -> new Dense("d", 0, 3, 0));
        assertThrows(IllegalArgumentException.class, () -> new Dense("a.b", 1, 3, 0));
        assertThrows(IllegalArgumentException.class, () -> new Dense("", 1, 3, 0));
        assertThrows(IllegalArgumentException.class, () -> new LeakyReLU("l", -1f));
    }

    @Test
    void emptyBatchIsAllowed() {
        Dense d = new Dense("d", 3, 2, 0);
        Tensor y = d.forward(Tensor.zeros(0, 3), TRAIN);
        assertArrayEquals(new int[] {0, 2}, y.shape());
        assertArrayEquals(new int[] {0, 3}, d.backward(Tensor.zeros(0, 2), TRAIN).shape());
    }
}
