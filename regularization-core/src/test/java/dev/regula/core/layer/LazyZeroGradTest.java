package dev.regula.core.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.regula.api.Mode;
import dev.regula.api.StepContext;
import dev.regula.api.model.Layer;
import dev.regula.api.param.Parameter;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.kernels.ScalarKernels;
import dev.regula.core.testing.GradientCheck;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The layers that overwrite a lazily zeroed gradient ({@link Parameter#gradientBeta()}): after
 * {@code zeroGrad()} their parameter gradients equal a fresh layer's whatever the storage held
 * (stale NaN included), and without it a second backward adds to the first.
 */
class LazyZeroGradTest {
    private static final StepContext TRAIN = new StepContext(Mode.TRAIN, 1, 0, 0.1, 42L, new ScalarKernels());

    private static List<Supplier<Layer>> layers() {
        return List.of(() -> new Dense("dense", 6, 4, 7), () -> new Conv2d("conv", 2, 3, 3, 2, 1, 1),
                () -> new ConvTranspose2d("convT", 2, 3, 4, 2, 1, 5));
    }

    private static int[] inputShape(Layer layer) {
        return layer instanceof Dense ? new int[] {5, 6} : new int[] {3, 2, 5, 4};
    }

    private static List<float[]> gradients(Layer layer, int backwards, boolean staleNaN) {
        Tensor x = GradientCheck.random(1, 2f, inputShape(layer));
        Tensor y = layer.forward(x, TRAIN);
        Tensor gy = GradientCheck.random(2, 1f, y.shape());
        if (staleNaN) {
            for (Parameter p : layer.parameters()) {
                Arrays.fill(p.grad().data(), Float.NaN);
                p.zeroGrad();
            }
        }
        for (int i = 0; i < backwards; i++) layer.backward(gy, TRAIN);
        return layer.parameters().stream().map(p -> p.grad().data().clone()).toList();
    }

    @Test
    void afterZeroGradTheGradientIsOverwrittenNotAddedToTheStaleStorage() {
        for (Supplier<Layer> make : layers()) {
            List<float[]> fresh = gradients(make.get(), 1, false);
            List<float[]> afterStale = gradients(make.get(), 1, true);
            for (int i = 0; i < fresh.size(); i++) {
                assertArrayEquals(fresh.get(i), afterStale.get(i), 0f, make.get() + " parameter " + i);
            }
        }
    }

    @Test
    void withoutZeroGradASecondBackwardAccumulates() {
        for (Supplier<Layer> make : layers()) {
            List<float[]> once = gradients(make.get(), 1, true);
            List<float[]> twice = gradients(make.get(), 2, true);
            for (int i = 0; i < once.size(); i++) {
                for (int j = 0; j < once.get(i).length; j++) {
                    assertEquals(2 * once.get(i)[j], twice.get(i)[j], 1e-5f * Math.abs(once.get(i)[j]) + 1e-6f,
                            make.get() + " parameter " + i + " entry " + j);
                }
            }
        }
    }
}
