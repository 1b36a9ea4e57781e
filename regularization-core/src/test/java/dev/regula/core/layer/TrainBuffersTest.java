package dev.regula.core.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.regula.api.Mode;
import dev.regula.api.StepContext;
import dev.regula.api.model.Layer;
import dev.regula.api.regularizer.ActivationRegularizer;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.kernels.ScalarKernels;
import dev.regula.core.testing.GradientCheck;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The TRAIN-mode buffers of the layers that reuse them (see {@link Layer}): a result is
 * overwritten only by the layer's next TRAIN call, every value of it is rewritten (nothing left
 * over from the last step), a new batch size gets a new buffer, and EVAL results are fresh.
 */
class TrainBuffersTest {
    private static StepContext train(long step) {
        return new StepContext(Mode.TRAIN, step, 0, 0.1, 42L, new ScalarKernels());
    }

    private static List<Supplier<Layer>> layers() {
        ActivationRegularizer dropout = (ActivationRegularizer) Regularizers.installed().parse("dropout(p=0.3)");
        return List.of(() -> new Dense("dense", 6, 6, 7), () -> new ReLU("relu"), () -> new Tanh("tanh"),
                () -> dropout.newLayer("drop"));
    }

    @Test
    void secondStepRewritesTheBuffersOfTheFirstWithTheRightValues() {
        for (Supplier<Layer> make : layers()) {
            Layer reused = make.get();
            Tensor y1 = reused.forward(GradientCheck.random(1, 2f, 5, 6), train(1));
            Tensor g1 = reused.backward(GradientCheck.random(2, 1f, 5, 6), train(1));
            Tensor x2 = GradientCheck.random(3, 2f, 5, 6);
            Tensor gy2 = GradientCheck.random(4, 1f, 5, 6);
            Tensor y2 = reused.forward(x2, train(2));
            Tensor g2 = reused.backward(gy2, train(2));
            assertSame(y1, y2, reused + ": the output buffer is reused");
            assertSame(g1, g2, reused + ": the input-gradient buffer is reused");

            Layer fresh = make.get(); // same initialisation, never trained
            assertArrayEquals(fresh.forward(x2, train(2)).data(), y2.data(), 0f, reused + " forward");
            assertArrayEquals(fresh.backward(gy2, train(2)).data(), g2.data(), 0f, reused + " backward");
        }
    }

    @Test
    void anotherBatchSizeGetsItsOwnBufferAndEvalResultsAreFresh() {
        for (Supplier<Layer> make : layers()) {
            Layer layer = make.get();
            Tensor y = layer.forward(GradientCheck.random(1, 2f, 5, 6), train(1));
            Tensor other = layer.forward(GradientCheck.random(2, 2f, 3, 6), train(2));
            assertNotSame(y, other, layer + ": a new batch size needs a new buffer");
            assertArrayEquals(new int[] {3, 6}, other.shape());

            Tensor x = GradientCheck.random(5, 2f, 5, 6);
            Tensor trained = layer.forward(x, train(3));
            float[] kept = trained.data().clone();
            Tensor eval = layer.forward(x, StepContext.eval(new ScalarKernels()));
            assertNotSame(trained, eval, layer + ": EVAL returns a new tensor (or its input)");
            assertArrayEquals(kept, trained.data(), 0f, layer + ": EVAL leaves the TRAIN buffer alone");
        }
    }

    @Test
    void imageLayersReuseTheirInputGradientBufferWithTheRightValues() {
        List<Supplier<Layer>> images = List.of(() -> new BatchNorm("bn", 3), () -> new Upsample2d("up", 2),
                () -> new MaxPool2d("max", 2, 2), () -> new AvgPool2d("avg", 3, 1), () -> new MinibatchStddev("mbstd", 2));
        for (Supplier<Layer> make : images) {
            Layer reused = make.get();
            Tensor y1 = reused.forward(GradientCheck.random(1, 2f, 2, 3, 5, 5), train(1));
            Tensor g1 = reused.backward(GradientCheck.random(2, 1f, y1.shape()), train(1));
            Tensor x2 = GradientCheck.random(3, 2f, 2, 3, 5, 5);
            Tensor y2 = reused.forward(x2, train(2));
            Tensor gy2 = GradientCheck.random(4, 1f, y2.shape());
            Tensor g2 = reused.backward(gy2, train(2));
            assertSame(g1, g2, reused + ": the input-gradient buffer is reused");

            Layer fresh = make.get();
            fresh.forward(x2, train(2));
            assertArrayEquals(fresh.backward(gy2, train(2)).data(), g2.data(), 0f, reused + " backward");
        }
    }
}
