package dev.regula.core.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.regula.api.StepContext;
import dev.regula.api.model.Layer;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.testing.GradientCheck;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exclusive EVAL forwards ({@link StepContext#exclusiveEval}): the same values as shared ones, in
 * a buffer of the layer that the next exclusive forward of that shape rewrites completely, apart
 * from the TRAIN output that backward may still need; shared EVAL outputs stay new tensors.
 */
class ExclusiveEvalTest {
    private static final StepContext TRAIN = GradientCheck.train();
    private static final StepContext SHARED = StepContext.eval(TRAIN.kernels());
    private static final StepContext EXCLUSIVE = StepContext.exclusiveEval(TRAIN.kernels());

    static Stream<Arguments> layers() {
        return Stream.of(
                Arguments.of("dense", (Supplier<Layer>) () -> new Dense("dense1", 5, 3, 11), new int[] {4, 5}),
                Arguments.of("relu", (Supplier<Layer>) () -> new ReLU("relu1"), new int[] {3, 6}),
                Arguments.of("softmax", (Supplier<Layer>) () -> new Softmax("softmax1"), new int[] {3, 5}),
                Arguments.of("batchnorm-2d", (Supplier<Layer>) () -> new BatchNorm("bn1", 4), new int[] {3, 4}),
                Arguments.of("batchnorm-4d", (Supplier<Layer>) () -> new BatchNorm("bn2", 2), new int[] {2, 2, 3, 3}),
                Arguments.of("conv2d", (Supplier<Layer>) () -> new Conv2d("conv1", 2, 3, 3, 2, 1, 5), new int[] {2, 2, 5, 4}),
                Arguments.of("conv-transpose2d", (Supplier<Layer>) () -> new ConvTranspose2d("deconv1", 2, 3, 4, 2, 1, 6),
                        new int[] {2, 2, 3, 3}),
                Arguments.of("upsample", (Supplier<Layer>) () -> new Upsample2d("up1", 2), new int[] {2, 2, 3, 2}),
                Arguments.of("sequential", (Supplier<Layer>) () -> new Sequential("net", new int[] {4},
                        new Dense("dense1", 4, 5, 3), new ReLU("relu1"), new Dense("out", 5, 2, 5)), new int[] {3, 4}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void exclusiveForwardsReuseOneBufferAndRewriteEveryValue(String label, Supplier<Layer> factory, int[] shape) {
        Layer layer = factory.get();
        Tensor x1 = GradientCheck.random(1, 2f, shape);
        Tensor x2 = GradientCheck.random(2, 2f, shape);
        Tensor y1 = layer.forward(x1, EXCLUSIVE);
        assertArrayEquals(factory.get().forward(x1, SHARED).data(), y1.data(), 0f, label + ": first exclusive forward");
        Tensor y2 = layer.forward(x2, EXCLUSIVE);
        assertSame(y1, y2, label + ": the exclusive output buffer is reused");
        assertArrayEquals(factory.get().forward(x2, SHARED).data(), y2.data(), 0f, label + ": second exclusive forward");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void aSmallerLastBatchDoesNotCostTheBufferOfTheFullOnes(String label, Supplier<Layer> factory, int[] shape) {
        int[] last = shape.clone();
        last[0] = shape[0] - 1;
        for (StepContext ctx : new StepContext[] {EXCLUSIVE, TRAIN}) {
            Layer layer = factory.get();
            Tensor full = layer.forward(GradientCheck.random(6, 2f, shape), ctx);
            Tensor small = layer.forward(GradientCheck.random(7, 2f, last), ctx);
            Tensor x = GradientCheck.random(8, 2f, shape);
            Tensor again = layer.forward(x, ctx);
            assertNotSame(full, small, label);
            assertSame(full, again, label + ": the full-batch buffer survives the last batch (" + ctx.mode() + ")");
            assertArrayEquals(factory.get().forward(x, ctx.training() ? TRAIN : SHARED).data(), again.data(), 0f, label);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void sharedForwardsReturnNewTensors(String label, Supplier<Layer> factory, int[] shape) {
        Layer layer = factory.get();
        Tensor x = GradientCheck.random(3, 2f, shape);
        Tensor exclusive = layer.forward(x, EXCLUSIVE);
        Tensor a = layer.forward(x, SHARED);
        Tensor b = layer.forward(x, SHARED);
        assertNotSame(a, b, label);
        assertNotSame(exclusive, a, label);
        assertArrayEquals(exclusive.data(), a.data(), 0f, label);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void exclusiveForwardBetweenTrainForwardAndBackwardChangesNothing(String label, Supplier<Layer> factory, int[] shape) {
        Tensor x = GradientCheck.random(4, 2f, shape);
        Tensor upstream = GradientCheck.random(5, 1f, factory.get().forward(x, SHARED).shape());

        Layer plain = factory.get();
        Tensor trainOut = plain.forward(x.copy(), TRAIN).copy();
        Tensor expected = plain.backward(upstream.copy(), TRAIN);

        Layer disturbed = factory.get();
        Tensor disturbedOut = disturbed.forward(x.copy(), TRAIN);
        Tensor evalOut = disturbed.forward(GradientCheck.random(99, 2f, shape), EXCLUSIVE);
        assertNotSame(disturbedOut, evalOut, label + ": exclusive EVAL must not write the TRAIN output");
        assertArrayEquals(trainOut.data(), disturbedOut.data(), 0f, label + ": TRAIN output overwritten");
        Tensor actual = disturbed.backward(upstream.copy(), TRAIN);
        assertArrayEquals(expected.data(), actual.data(), 0f, label + ": input gradient changed by an exclusive EVAL forward");
        for (int i = 0; i < plain.parameters().size(); i++) {
            assertArrayEquals(plain.parameters().get(i).grad().data(), disturbed.parameters().get(i).grad().data(), 0f,
                    label + ": parameter gradient changed by an exclusive EVAL forward");
        }
    }
}
