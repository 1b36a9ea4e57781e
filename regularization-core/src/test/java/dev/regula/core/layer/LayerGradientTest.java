package dev.regula.core.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.StepContext;
import dev.regula.api.model.Layer;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.testing.GradientCheck;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Finite-difference checks of every layer's input and parameter gradients, and the EVAL no-mutation contract. */
class LayerGradientTest {
    private static final StepContext TRAIN = GradientCheck.train();

    /** Inputs with |x| ≥ 0.05, so central differences never straddle the kink of (leaky) ReLU. */
    static Tensor awayFromZero(long seed, int... shape) {
        Tensor t = GradientCheck.random(seed, 1.5f, shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] = Math.copySign(0.05f + Math.abs(d[i]), d[i]);
        return t;
    }

    static Stream<Arguments> layers() {
        return Stream.of(
                Arguments.of("dense", (Supplier<Layer>) () -> new Dense("dense1", 5, 3, 11), new int[] {4, 5}),
                Arguments.of("relu", (Supplier<Layer>) () -> new ReLU("relu1"), new int[] {3, 6}),
                Arguments.of("leaky-relu", (Supplier<Layer>) () -> new LeakyReLU("lrelu1", 0.2f), new int[] {3, 6}),
                Arguments.of("leaky-relu-default", (Supplier<Layer>) () -> new LeakyReLU("lrelu2"), new int[] {2, 2, 3}),
                Arguments.of("tanh", (Supplier<Layer>) () -> new Tanh("tanh1"), new int[] {3, 6}),
                Arguments.of("sigmoid", (Supplier<Layer>) () -> new Sigmoid("sigmoid1"), new int[] {3, 6}),
                Arguments.of("softmax", (Supplier<Layer>) () -> new Softmax("softmax1"), new int[] {3, 5}),
                Arguments.of("softmax-rank3", (Supplier<Layer>) () -> new Softmax("softmax2"), new int[] {2, 3, 4}),
                Arguments.of("layer-norm", (Supplier<Layer>) () -> NormLayersTest.randomAffine(new LayerNorm("ln1", 6)), new int[] {3, 6}),
                Arguments.of("layer-norm-rank3", (Supplier<Layer>) () -> NormLayersTest.randomAffine(new LayerNorm("ln2", 6)),
                        new int[] {2, 2, 3}),
                Arguments.of("group-norm-dense", (Supplier<Layer>) () -> NormLayersTest.randomAffine(new GroupNorm("gn1", 2, 6)),
                        new int[] {3, 6}),
                Arguments.of("group-norm-conv", (Supplier<Layer>) () -> NormLayersTest.randomAffine(new GroupNorm("gn2", 2, 4)),
                        new int[] {2, 4, 2, 2}),
                Arguments.of("weight-norm-dense", (Supplier<Layer>) () -> NormLayersTest.scaledLengths(new WeightNormDense("wn1", 5, 3, 7)),
                        new int[] {4, 5}),
                Arguments.of("residual", (Supplier<Layer>) () -> new Residual("block1",
                        List.of(new Dense("dense1", 5, 5, 3), new Tanh("tanh1"))), new int[] {3, 5}),
                Arguments.of("flatten", (Supplier<Layer>) () -> new Flatten("flatten"), new int[] {2, 3, 2, 2}),
                Arguments.of("minibatch-stddev", (Supplier<Layer>) () -> new MinibatchStddev("mbstd1", 2), new int[] {4, 2, 2, 3}),
                Arguments.of("minibatch-stddev-3-groups", (Supplier<Layer>) () -> new MinibatchStddev("mbstd2", 2), new int[] {6, 3, 2, 2}),
                Arguments.of("upsample-2", (Supplier<Layer>) () -> new Upsample2d("up1", 2), new int[] {2, 2, 3, 2}),
                Arguments.of("upsample-3", (Supplier<Layer>) () -> new Upsample2d("up2", 3), new int[] {1, 2, 2, 3}),
                Arguments.of("sequential-tanh", (Supplier<Layer>) () -> new Sequential("net", new int[] {2, 3},
                        new Flatten("flatten"), new Dense("dense1", 6, 4, 1), new Tanh("tanh1"),
                        new Dense("out", 4, 3, 2)), new int[] {3, 2, 3}),
                Arguments.of("sequential-relu", (Supplier<Layer>) () -> new Sequential("net", new int[] {4},
                        new Dense("dense1", 4, 5, 3), new ReLU("relu1"), new Dense("dense2", 5, 4, 4),
                        new Sigmoid("sigmoid2"), new Dense("out", 4, 2, 5), new Softmax("softmax")), new int[] {3, 4}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void gradientsMatchFiniteDifferences(String label, Supplier<Layer> factory, int[] shape) {
        GradientCheck.checkLayer(factory.get(), awayFromZero(17, shape), TRAIN);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void evalForwardBetweenTrainForwardAndBackwardChangesNothing(String label, Supplier<Layer> factory, int[] shape) {
        Tensor x = awayFromZero(3, shape);
        Tensor upstream = GradientCheck.random(5, 1f, outShape(factory.get(), shape));

        Layer plain = factory.get();
        plain.forward(x.copy(), TRAIN);
        Tensor expected = plain.backward(upstream.copy(), TRAIN);

        Layer disturbed = factory.get();
        disturbed.forward(x.copy(), TRAIN);
        int[] other = shape.clone();
        other[0] = shape[0] + 2;
        Tensor evalOut = disturbed.forward(awayFromZero(99, other), TRAIN.withMode(dev.regula.api.Mode.EVAL));
        assertEquals(other[0], evalOut.dim(0));
        Tensor actual = disturbed.backward(upstream.copy(), TRAIN);

        assertArrayEquals(expected.data(), actual.data(), label + ": input gradient changed by an EVAL forward");
        for (int i = 0; i < plain.parameters().size(); i++) {
            assertArrayEquals(plain.parameters().get(i).grad().data(), disturbed.parameters().get(i).grad().data(),
                    label + ": parameter gradient changed by an EVAL forward");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void forwardDoesNotModifyItsInput(String label, Supplier<Layer> factory, int[] shape) {
        Tensor x = awayFromZero(8, shape);
        Tensor before = x.copy();
        Layer layer = factory.get();
        Tensor y = layer.forward(x, TRAIN);
        layer.backward(GradientCheck.random(1, 1f, y.shape()), TRAIN);
        assertArrayEquals(before.data(), x.data());
    }

    @Test
    void activationFlags() {
        assertTrue(new ReLU("a").isActivation());
        assertTrue(new LeakyReLU("b").isActivation());
        assertTrue(new Tanh("c").isActivation());
        assertTrue(new Sigmoid("d").isActivation());
        assertFalse(new Softmax("e").isActivation());
        assertFalse(new Flatten("f").isActivation());
        assertFalse(new Dense("g", 1, 1, 0).isActivation());
    }

    @Test
    void activationValues() {
        Tensor x = Tensor.of(new float[] {-2f, 0f, 3f, -1000f, 1000f}, 1, 5);
        StepContext eval = StepContext.eval(TRAIN.kernels());
        assertArrayEquals(new float[] {0f, 0f, 3f, 0f, 1000f}, new ReLU("r").forward(x, eval).data());
        assertArrayEquals(new float[] {-0.02f, 0f, 3f, -10f, 1000f}, new LeakyReLU("l").forward(x, eval).data(), 1e-6f);
        float[] s = new Sigmoid("s").forward(x, eval).data();
        assertEquals(0.11920292f, s[0], 1e-7f);
        assertEquals(0.5f, s[1]);
        assertEquals(0f, s[3]);
        assertEquals(1f, s[4]);
        float[] t = new Tanh("t").forward(x, eval).data();
        assertEquals((float) Math.tanh(-2), t[0]);
        assertEquals(-1f, t[3]);
        float[] p = new Softmax("p").forward(Tensor.of(new float[] {1f, 2f, 3f, 1000f, 1000f, 0f}, 2, 3), eval).data();
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertArrayEquals(new float[] {(float) (Math.exp(1) / z), (float) (Math.exp(2) / z), (float) (Math.exp(3) / z),
                0.5f, 0.5f, 0f}, p, 1e-6f);
    }

    private static int[] outShape(Layer layer, int[] shape) {
        int[] example = layer.outputShape(java.util.Arrays.copyOfRange(shape, 1, shape.length));
        int[] out = new int[example.length + 1];
        out[0] = shape[0];
        System.arraycopy(example, 0, out, 1, example.length);
        return out;
    }

    @Test
    void flattenOutputIsAViewAndShapesRoundTrip() {
        Flatten f = new Flatten("flatten");
        Tensor x = GradientCheck.random(1, 1f, 2, 1, 3, 3);
        Tensor y = f.forward(x, TRAIN);
        assertArrayEquals(new int[] {2, 9}, y.shape());
        assertArrayEquals(new int[] {2, 1, 3, 3}, f.backward(Tensor.zeros(2, 9), TRAIN).shape());
        assertArrayEquals(new int[] {784}, f.outputShape(new int[] {1, 28, 28}));
        assertEquals(List.of(), f.parameters());
    }

    @Test
    void upsampleCopiesEachPixelToItsBlock() {
        Tensor x = Tensor.wrap(new float[] {1, 2, 3, 4}, 1, 1, 2, 2);
        Tensor y = new Upsample2d("up", 2).forward(x, TRAIN);
        assertArrayEquals(new int[] {1, 1, 4, 4}, y.shape());
        assertArrayEquals(new float[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, y.data());
        assertArrayEquals(new int[] {1, 4, 4}, new Upsample2d("up", 2).outputShape(new int[] {1, 2, 2}));
    }
}
