package dev.regula.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.StepContext;
import dev.regula.api.model.Layer;
import dev.regula.api.model.Model;
import dev.regula.api.model.ModelProvider;
import dev.regula.api.model.Models;
import dev.regula.api.param.Parameter;
import dev.regula.api.spec.SpecException;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.kernels.ScalarKernels;
import dev.regula.core.layer.AvgPool2d;
import dev.regula.core.layer.MaxPool2d;
import dev.regula.core.layer.Reshape;
import dev.regula.core.testing.GradientCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cnn spec: the documented default, its keys, input shapes and errors. */
class CnnModelProviderTest {
    private static List<String> names(Model m) {
        return m.layers().stream().map(Layer::name).toList();
    }

    @Test
    void installedBesideMlp() {
        assertTrue(Models.installed().providers().stream().map(ModelProvider::name).toList().contains("cnn"));
    }

    @Test
    void theDefaultIsConv32Conv64PoolDense128OnFlatFashionMnist() {
        Model m = Models.installed().parse("cnn").build(new int[] {784}, 10, 1);
        assertEquals(List.of("reshape", "conv1", "relu1", "conv2", "relu2", "pool", "flatten", "dense", "relu_dense", "out"), names(m));
        assertArrayEquals(new int[] {1, 28, 28}, ((Reshape) m.layers().get(0)).exampleShape());
        assertInstanceOf(MaxPool2d.class, m.layers().get(5));
        List<Parameter> ps = m.parameters();
        int[][] shapes = {{32, 1, 3, 3}, {32}, {64, 32, 3, 3}, {64}, {128, 64 * 14 * 14}, {128}, {10, 128}, {10}};
        assertEquals(shapes.length, ps.size());
        for (int i = 0; i < shapes.length; i++) assertArrayEquals(shapes[i], ps.get(i).value().shape(), ps.get(i).name());
        assertTrue(m.layers().get(2).isActivation() && m.layers().get(8).isActivation());
    }

    @Test
    void keysChangeChannelsDensePoolingAndNormalisation() {
        Model m = Models.installed().parse("cnn(channels=4x8x6, dense=0, pool=avg, batchnorm=true)").build(new int[] {2, 6, 6}, 3, 1);
        assertEquals(List.of("conv1", "bn1", "relu1", "conv2", "bn2", "relu2", "conv3", "bn3", "relu3", "pool", "flatten", "out"), names(m));
        assertInstanceOf(AvgPool2d.class, m.layers().get(9));
        Tensor y = m.forward(GradientCheck.random(1, 1f, 5, 2, 6, 6), StepContext.eval(new ScalarKernels()));
        assertArrayEquals(new int[] {5, 3}, y.shape());
        Model d = Models.installed().parse("cnn(channels=4, dense=16, batchnorm=true)").build(new int[] {16}, 2, 1);
        assertEquals(List.of("reshape", "conv1", "bn1", "relu1", "pool", "flatten", "dense", "bn_dense", "relu_dense", "out"), names(d));
    }

    @Test
    void inputKeyNamesANonSquareShape() {
        Model m = Models.installed().parse("cnn(channels=2, dense=4, input=3x4x5)").build(new int[] {60}, 2, 1);
        assertArrayEquals(new int[] {3, 4, 5}, ((Reshape) m.layers().get(0)).exampleShape());
        Tensor y = m.forward(GradientCheck.random(1, 1f, 2, 60), StepContext.eval(new ScalarKernels()));
        assertArrayEquals(new int[] {2, 2}, y.shape());
    }

    @Test
    void badSpecsAndShapesGetClearErrors() {
        var models = Models.installed();
        var channels = assertThrows(SpecException.class, () -> models.parse("cnn(channels=32xfoo)").build(new int[] {784}, 10, 1));
        assertTrue(channels.getMessage().contains("channels=32xfoo") && channels.getMessage().contains("allowed"), channels.getMessage());
        var input = assertThrows(SpecException.class, () -> models.parse("cnn(input=28x28)").build(new int[] {784}, 10, 1));
        assertTrue(input.getMessage().contains("CxHxW"), input.getMessage());
        var mismatch = assertThrows(IllegalArgumentException.class, () -> models.parse("cnn(input=1x28x27)").build(new int[] {784}, 10, 1));
        assertTrue(mismatch.getMessage().contains("756") && mismatch.getMessage().contains("784"), mismatch.getMessage());
        var square = assertThrows(IllegalArgumentException.class, () -> models.parse("cnn").build(new int[] {50}, 10, 1));
        assertTrue(square.getMessage().contains("not a square") && square.getMessage().contains("input=CxHxW"), square.getMessage());
        var tiny = assertThrows(IllegalArgumentException.class, () -> models.parse("cnn").build(new int[] {1}, 10, 1));
        assertTrue(tiny.getMessage().contains("2x2 pooling"), tiny.getMessage());
        var huge = assertThrows(IllegalArgumentException.class,
                () -> models.parse("cnn(channels=4096x4096x4096x4096x4096x4096x4096x4096, dense=65536)").build(new int[] {1, 256, 256}, 10, 1));
        assertTrue(huge.getMessage().contains("model 'cnn'"), huge.getMessage());
    }
}
