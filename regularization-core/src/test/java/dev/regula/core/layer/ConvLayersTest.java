package dev.regula.core.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.Mode;
import dev.regula.api.ShapeMismatchException;
import dev.regula.api.StepContext;
import dev.regula.api.model.Layer;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.testing.GradientCheck;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Conv2d, ConvTranspose2d, BatchNorm and Reshape: finite-difference gradients, naive-loop
 * references, the adjoint identity and the EVAL no-mutation contract.
 */
class ConvLayersTest {
    private static final StepContext TRAIN = GradientCheck.train();
    private static final StepContext EVAL = TRAIN.withMode(Mode.EVAL);

    static Stream<Arguments> layers() {
        return Stream.of(
                Arguments.of("conv k3 s2 p1 odd", (Supplier<Layer>) () -> new Conv2d("c", 2, 3, 3, 2, 1, 1), new int[] {3, 2, 5, 7}),
                Arguments.of("conv k4 s2 p1 C=1 batch 1", (Supplier<Layer>) () -> new Conv2d("c", 1, 2, 4, 2, 1, 2), new int[] {1, 1, 6, 5}),
                Arguments.of("conv k3 s1 p0", (Supplier<Layer>) () -> new Conv2d("c", 3, 2, 3, 1, 0, 3), new int[] {2, 3, 5, 4}),
                Arguments.of("conv k4 s2 p1 C>1", (Supplier<Layer>) () -> new Conv2d("c", 2, 2, 4, 2, 1, 4), new int[] {3, 2, 7, 6}),
                Arguments.of("convT k4 s2 p1", (Supplier<Layer>) () -> new ConvTranspose2d("t", 2, 3, 4, 2, 1, 5), new int[] {3, 2, 3, 5}),
                Arguments.of("convT k3 s2 p1 C=1 batch 1", (Supplier<Layer>) () -> new ConvTranspose2d("t", 1, 2, 3, 2, 1, 6), new int[] {1, 1, 4, 3}),
                Arguments.of("convT k3 s1 p0 out 1", (Supplier<Layer>) () -> new ConvTranspose2d("t", 3, 1, 3, 1, 0, 7), new int[] {2, 3, 3, 2}),
                Arguments.of("upsample-conv 1x1 input", (Supplier<Layer>) () -> new UpsampleConv2d("u", 2, 3, 8), new int[] {2, 2, 1, 1}),
                Arguments.of("upsample-conv odd sides", (Supplier<Layer>) () -> new UpsampleConv2d("u", 3, 2, 9), new int[] {2, 3, 3, 2}),
                Arguments.of("upsample-conv out 1 batch 1", (Supplier<Layer>) () -> new UpsampleConv2d("u", 2, 1, 10), new int[] {1, 2, 4, 3}),
                Arguments.of("batchnorm [N,C]", (Supplier<Layer>) () -> withAffine(new BatchNorm("bn", 4)), new int[] {3, 4}),
                Arguments.of("batchnorm [N,C,H,W]", (Supplier<Layer>) () -> withAffine(new BatchNorm("bn", 2)), new int[] {3, 2, 3, 3}),
                Arguments.of("batchnorm batch 1", (Supplier<Layer>) () -> withAffine(new BatchNorm("bn", 3, 0.3, 1e-3)), new int[] {1, 3, 2, 3}),
                Arguments.of("reshape", (Supplier<Layer>) () -> new Reshape("r", 3, 2, 2), new int[] {2, 12}));
    }

    /** Non-trivial γ and β, so their gradients and their use in forward are exercised. */
    private static BatchNorm withAffine(BatchNorm bn) {
        float[] g = bn.weight().value().data();
        float[] b = bn.bias().value().data();
        for (int c = 0; c < g.length; c++) {
            g[c] = 0.5f + 0.3f * c;
            b[c] = 0.2f - 0.1f * c;
        }
        return bn;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void gradientsMatchFiniteDifferences(String label, Supplier<Layer> factory, int[] shape) {
        GradientCheck.checkLayer(factory.get(), GradientCheck.random(17, 1.5f, shape), TRAIN);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void evalForwardBetweenTrainForwardAndBackwardChangesNothing(String label, Supplier<Layer> factory, int[] shape) {
        Tensor x = GradientCheck.random(3, 1f, shape);
        Layer plain = factory.get();
        Tensor y = plain.forward(x.copy(), TRAIN);
        Tensor upstream = GradientCheck.random(5, 1f, y.shape());
        Tensor expected = plain.backward(upstream.copy(), TRAIN);

        Layer disturbed = factory.get();
        disturbed.forward(x.copy(), TRAIN);
        int[] other = shape.clone();
        other[0] = shape[0] + 2;
        Tensor evalOut = disturbed.forward(GradientCheck.random(99, 1f, other), EVAL);
        assertEquals(other[0], evalOut.dim(0));
        assertArrayEquals(y.shape(), withBatch(shape[0], disturbed.outputShape(Arrays.copyOfRange(shape, 1, shape.length))));
        Tensor actual = disturbed.backward(upstream.copy(), TRAIN);

        assertArrayEquals(expected.data(), actual.data(), label);
        for (int i = 0; i < plain.parameters().size(); i++) {
            assertArrayEquals(plain.parameters().get(i).grad().data(), disturbed.parameters().get(i).grad().data(), label);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void forwardAndBackwardDoNotModifyTheirInputs(String label, Supplier<Layer> factory, int[] shape) {
        Tensor x = GradientCheck.random(8, 1f, shape);
        Tensor xBefore = x.copy();
        Layer layer = factory.get();
        Tensor y = layer.forward(x, TRAIN);
        Tensor g = GradientCheck.random(1, 1f, y.shape());
        Tensor gBefore = g.copy();
        layer.backward(g, TRAIN);
        assertArrayEquals(xBefore.data(), x.data());
        assertArrayEquals(gBefore.data(), g.data());
    }

    @Test
    void repeatedTrainStepsWithChangingBatchReuseBuffersCorrectly() {
        Conv2d conv = new Conv2d("c", 2, 3, 3, 2, 1, 1);
        ConvTranspose2d convT = new ConvTranspose2d("t", 3, 2, 4, 2, 1, 2);
        for (int batch : new int[] {4, 1, 3}) {
            Tensor x = GradientCheck.random(batch, 1f, batch, 2, 6, 5);
            assertArrayEquals(naiveConv(x, conv.weight().value(), conv.bias().value(), 2, 1).data(),
                    conv.forward(x, TRAIN).data(), 1e-5f);
            Tensor h = GradientCheck.random(batch + 10, 1f, batch, 3, 3, 2);
            assertArrayEquals(naiveConvT(h, convT.weight().value(), convT.bias().value(), 2, 1).data(),
                    convT.forward(h, TRAIN).data(), 1e-5f);
        }
    }

    static Stream<Arguments> upsampleShapes() {
        // batch, in, out, H, W
        return Stream.of(
                Arguments.of(new int[] {1, 1, 1, 1, 1}),
                Arguments.of(new int[] {3, 2, 3, 4, 4}),
                Arguments.of(new int[] {2, 5, 3, 3, 7}),
                Arguments.of(new int[] {1, 16, 3, 8, 8}),
                Arguments.of(new int[] {4, 3, 17, 2, 5}));
    }

    /** The fused layer computes what nearest ×2 upsampling then a 3×3 convolution with the same weights compute. */
    @ParameterizedTest
    @MethodSource("upsampleShapes")
    void upsampleConvEqualsUpsampleThenConv(int[] g) {
        UpsampleConv2d fused = new UpsampleConv2d("u", g[1], g[2], 21);
        Conv2d conv = new Conv2d("c", g[1], g[2], 3, 1, 1, 21);
        assertArrayEquals(conv.weight().value().data(), fused.weight().value().data(), "same initialisation as Conv2d");
        float[] b = fused.bias().value().data();
        for (int i = 0; i < b.length; i++) b[i] = 0.1f * (i + 1);
        System.arraycopy(b, 0, conv.bias().value().data(), 0, b.length);
        Upsample2d up = new Upsample2d("up", 2);
        Tensor x = GradientCheck.random(31, 1f, g[0], g[1], g[3], g[4]);

        Tensor expected = conv.forward(up.forward(x, TRAIN), TRAIN);
        assertArrayEquals(expected.data(), fused.forward(x, EVAL).data(), 1e-5f, "shared eval");
        Tensor actual = fused.forward(x, TRAIN);
        assertArrayEquals(expected.shape(), actual.shape());
        assertArrayEquals(expected.data(), actual.data(), 1e-5f, "train");

        Tensor gy = GradientCheck.random(32, 1f, expected.shape());
        Tensor expectedDx = up.backward(conv.backward(gy.copy(), TRAIN), TRAIN);
        Tensor dx = fused.backward(gy.copy(), TRAIN);
        assertArrayEquals(expectedDx.data(), dx.data(), 1e-4f, "input gradient");
        assertArrayEquals(conv.weight().grad().data(), fused.weight().grad().data(), 1e-4f, "weight gradient");
        assertArrayEquals(conv.bias().grad().data(), fused.bias().grad().data(), 1e-4f, "bias gradient");
        assertArrayEquals(new int[] {g[2], 2 * g[3], 2 * g[4]}, fused.outputShape(new int[] {g[1], g[3], g[4]}));
    }

    static Stream<Arguments> geometries() {
        // batch, in, out, H, W, kernel, stride, padding
        return Stream.of(
                Arguments.of(new int[] {3, 2, 3, 7, 5, 3, 2, 1}),
                Arguments.of(new int[] {1, 1, 1, 5, 5, 3, 1, 1}),
                Arguments.of(new int[] {2, 3, 4, 8, 8, 4, 2, 1}),
                Arguments.of(new int[] {2, 3, 2, 9, 6, 4, 3, 2}),
                Arguments.of(new int[] {1, 2, 2, 4, 4, 1, 1, 0}),
                Arguments.of(new int[] {2, 1, 3, 5, 6, 5, 1, 2}),
                Arguments.of(new int[] {1, 2, 2, 1, 2, 5, 1, 2}),
                Arguments.of(new int[] {2, 1, 2, 4, 5, 3, 3, 2}));
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void conv2dMatchesNaiveLoops(int[] g) {
        Conv2d conv = new Conv2d("c", g[1], g[2], g[5], g[6], g[7], 11);
        Tensor x = GradientCheck.random(12, 1f, g[0], g[1], g[3], g[4]);
        Tensor expected = naiveConv(x, conv.weight().value(), conv.bias().value(), g[6], g[7]);
        assertArrayEquals(expected.shape(), conv.forward(x, EVAL).shape());
        assertArrayEquals(expected.data(), conv.forward(x, EVAL).data(), 1e-5f);
        assertArrayEquals(expected.data(), conv.forward(x, TRAIN).data(), 1e-5f);
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void convTranspose2dMatchesNaiveLoops(int[] g) {
        ConvTranspose2d convT = new ConvTranspose2d("t", g[1], g[2], g[5], g[6], g[7], 13);
        int h = Math.max(1, g[3] / 2);
        int w = Math.max(1, g[4] / 2);
        Tensor x = GradientCheck.random(14, 1f, g[0], g[1], h, w);
        Tensor expected = naiveConvT(x, convT.weight().value(), convT.bias().value(), g[6], g[7]);
        Tensor actual = convT.forward(x, EVAL);
        assertArrayEquals(expected.shape(), actual.shape());
        assertArrayEquals(expected.data(), actual.data(), 1e-5f);
        assertArrayEquals(expected.data(), convT.forward(x, TRAIN).data(), 1e-5f);
    }

    @ParameterizedTest
    @MethodSource("geometries")
    void convTransposeIsTheAdjointOfConv(int[] g) {
        int batch = g[0];
        int in = g[1];
        int out = g[2];
        int k = g[5];
        int s = g[6];
        int p = g[7];
        // choose H, W such that conv then convT returns to the same size
        int oh = Math.max(1, Im2Col.convOut(g[3], k, s, p));
        int ow = Math.max(1, Im2Col.convOut(g[4], k, s, p));
        int h = (oh - 1) * s - 2 * p + k;
        int w = (ow - 1) * s - 2 * p + k;
        Conv2d conv = new Conv2d("c", in, out, k, s, p, 21);
        ConvTranspose2d convT = new ConvTranspose2d("t", out, in, k, s, p, 22);
        assertArrayEquals(conv.weight().value().shape(), convT.weight().value().shape());
        convT.weight().value().copyFrom(conv.weight().value());
        conv.bias().value().fill(0f);
        convT.bias().value().fill(0f);
        Tensor x = GradientCheck.random(23, 1f, batch, in, h, w);
        Tensor y = GradientCheck.random(24, 1f, batch, out, oh, ow);
        Tensor cx = conv.forward(x, EVAL);
        Tensor ty = convT.forward(y, EVAL);
        assertArrayEquals(y.shape(), cx.shape());
        assertArrayEquals(x.shape(), ty.shape());
        double lhs = dot(cx, y);
        double rhs = dot(x, ty);
        assertEquals(lhs, rhs, 1e-4 * (1 + Math.abs(lhs)));
    }

    @Test
    void initialisationFollowsPyTorchBounds() {
        Conv2d conv = new Conv2d("c", 4, 8, 3, 1, 1, 5);
        assertEquals(ParameterRole.WEIGHT, conv.weight().role());
        assertEquals(ParameterRole.BIAS, conv.bias().role());
        assertEquals("c.weight", conv.weight().name());
        assertArrayEquals(new int[] {8, 4, 3, 3}, conv.weight().value().shape());
        assertBounded(conv.weight(), 1 / Math.sqrt(4 * 9));
        assertBounded(conv.bias(), 1 / Math.sqrt(4 * 9));
        ConvTranspose2d convT = new ConvTranspose2d("t", 8, 2, 4, 2, 1, 5);
        assertArrayEquals(new int[] {8, 2, 4, 4}, convT.weight().value().shape());
        assertArrayEquals(new int[] {2}, convT.bias().value().shape());
        assertBounded(convT.weight(), 1 / Math.sqrt(2 * 16));
        assertBounded(convT.bias(), 1 / Math.sqrt(2 * 16));
        assertArrayEquals(conv.weight().value().data(), new Conv2d("c", 4, 8, 3, 1, 1, 5).weight().value().data());
    }

    private static void assertBounded(Parameter p, double bound) {
        double max = 0;
        for (float v : p.value().data()) max = Math.max(max, Math.abs(v));
        assertTrue(max <= bound, p.name() + " max " + max + " > " + bound);
        assertTrue(max > bound / 2, p.name() + " max " + max + " suspiciously small for bound " + bound);
    }

    @Test
    void shapeErrorsNameTheLayerAndBothShapes() {
        Conv2d conv = new Conv2d("conv1", 3, 8, 4, 2, 1, 0);
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> conv.forward(Tensor.zeros(2, 1, 8, 8), TRAIN));
        assertTrue(e.getMessage().contains("conv1") && e.getMessage().contains("[2, 1, 8, 8]") && e.getMessage().contains("3"),
                e.getMessage());
        assertThrows(ShapeMismatchException.class, () -> conv.outputShape(new int[] {3, 1, 1}));
        assertArrayEquals(new int[] {8, 16, 16}, conv.outputShape(new int[] {3, 32, 32}));
        ConvTranspose2d convT = new ConvTranspose2d("up1", 128, 64, 4, 2, 1, 0);
        assertArrayEquals(new int[] {64, 8, 8}, convT.outputShape(new int[] {128, 4, 4}));
        e = assertThrows(ShapeMismatchException.class, () -> convT.outputShape(new int[] {64, 4, 4}));
        assertTrue(e.getMessage().contains("up1") && e.getMessage().contains("[64, 4, 4]"), e.getMessage());
        conv.forward(Tensor.zeros(2, 3, 8, 8), TRAIN);
        e = assertThrows(ShapeMismatchException.class, () -> conv.backward(Tensor.zeros(2, 8, 4, 5), TRAIN));
        assertTrue(e.getMessage().contains("conv1") && e.getMessage().contains("[2, 8, 4, 4]"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> new Conv2d("fresh", 1, 1, 1, 1, 0, 0).backward(Tensor.zeros(1, 1, 1, 1), TRAIN));
        assertThrows(IllegalArgumentException.class, () -> new Conv2d("bad", 1, 1, 3, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new ConvTranspose2d("bad", 1, 1, 3, 1, -1, 0));
    }

    @Test
    void reshapeRejectsAWrongNumberOfValuesWithAClearMessage() {
        Reshape r = new Reshape("to-image", 128, 4, 4);
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> r.forward(Tensor.zeros(2, 2047), TRAIN));
        String m = e.getMessage();
        assertTrue(m.contains("to-image") && m.contains("[128, 4, 4]") && m.contains("2048") && m.contains("[2047]"), m);
        assertThrows(ShapeMismatchException.class, () -> r.outputShape(new int[] {64, 4, 4}));
        assertArrayEquals(new int[] {128, 4, 4}, r.outputShape(new int[] {2048}));
        Tensor x = GradientCheck.random(1, 1f, 2, 2048);
        Tensor y = r.forward(x, TRAIN);
        assertArrayEquals(new int[] {2, 128, 4, 4}, y.shape());
        assertArrayEquals(new int[] {2, 2048}, r.backward(y, TRAIN).shape());
        assertThrows(IllegalArgumentException.class, () -> new Reshape("r", 3, 0));
    }

    // --- references ---

    static Tensor naiveConv(Tensor x, Tensor w, Tensor b, int s, int p) {
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int wd = x.dim(3);
        int o = w.dim(0);
        int k = w.dim(2);
        int oh = (h + 2 * p - k) / s + 1;
        int ow = (wd + 2 * p - k) / s + 1;
        Tensor y = Tensor.zeros(n, o, oh, ow);
        for (int bi = 0; bi < n; bi++) {
            for (int oc = 0; oc < o; oc++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double sum = b.get(oc);
                        for (int ic = 0; ic < c; ic++) {
                            for (int ki = 0; ki < k; ki++) {
                                for (int kj = 0; kj < k; kj++) {
                                    int iy = oy * s - p + ki;
                                    int ix = ox * s - p + kj;
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= wd) continue;
                                    sum += (double) w.get(((oc * c + ic) * k + ki) * k + kj) * x.get(((bi * c + ic) * h + iy) * wd + ix);
                                }
                            }
                        }
                        y.set(((bi * o + oc) * oh + oy) * ow + ox, (float) sum);
                    }
                }
            }
        }
        return y;
    }

    static Tensor naiveConvT(Tensor x, Tensor w, Tensor b, int s, int p) {
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int wd = x.dim(3);
        int o = w.dim(1);
        int k = w.dim(2);
        int oh = (h - 1) * s - 2 * p + k;
        int ow = (wd - 1) * s - 2 * p + k;
        double[] acc = new double[n * o * oh * ow];
        for (int bi = 0; bi < n; bi++) {
            for (int ic = 0; ic < c; ic++) {
                for (int iy = 0; iy < h; iy++) {
                    for (int ix = 0; ix < wd; ix++) {
                        double v = x.get(((bi * c + ic) * h + iy) * wd + ix);
                        for (int oc = 0; oc < o; oc++) {
                            for (int ki = 0; ki < k; ki++) {
                                for (int kj = 0; kj < k; kj++) {
                                    int oy = iy * s - p + ki;
                                    int ox = ix * s - p + kj;
                                    if (oy < 0 || oy >= oh || ox < 0 || ox >= ow) continue;
                                    acc[((bi * o + oc) * oh + oy) * ow + ox] += v * w.get(((ic * o + oc) * k + ki) * k + kj);
                                }
                            }
                        }
                    }
                }
            }
        }
        Tensor y = Tensor.zeros(n, o, oh, ow);
        for (int i = 0; i < acc.length; i++) y.set(i, (float) (acc[i] + b.get((i / (oh * ow)) % o)));
        return y;
    }

    private static double dot(Tensor a, Tensor b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) s += (double) a.get(i) * b.get(i);
        return s;
    }

    private static int[] withBatch(int batch, int[] example) {
        int[] out = new int[example.length + 1];
        out[0] = batch;
        System.arraycopy(example, 0, out, 1, example.length);
        return out;
    }
}
