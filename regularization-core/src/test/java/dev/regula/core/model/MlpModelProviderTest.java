package dev.regula.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.StepContext;
import dev.regula.api.model.Layer;
import dev.regula.api.model.Model;
import dev.regula.api.model.ModelProvider;
import dev.regula.api.model.Models;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.spec.SpecException;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.kernels.ScalarKernels;
import dev.regula.core.layer.Flatten;
import dev.regula.core.layer.Sequential;
import dev.regula.core.testing.GradientCheck;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MlpModelProviderTest {
    @Test
    void installed() {
        assertTrue(Models.installed().providers().stream().map(ModelProvider::name).toList().contains("mlp"));
    }

    @Test
    void buildsTheDefault784x256x256x10() {
        Model m = Models.installed().parse("mlp").build(new int[] {784}, 10, 1);
        assertEquals(List.of("dense1", "relu1", "dense2", "relu2", "out"), m.layers().stream().map(Layer::name).toList());
        List<Parameter> ps = m.parameters();
        assertEquals(List.of("dense1.weight", "dense1.bias", "dense2.weight", "dense2.bias", "out.weight", "out.bias"),
                ps.stream().map(Parameter::name).toList());
        int[][] shapes = {{256, 784}, {256}, {256, 256}, {256}, {10, 256}, {10}};
        for (int i = 0; i < shapes.length; i++) assertArrayEquals(shapes[i], ps.get(i).value().shape(), ps.get(i).name());
        assertEquals(List.of(ParameterRole.WEIGHT, ParameterRole.BIAS, ParameterRole.WEIGHT, ParameterRole.BIAS,
                ParameterRole.WEIGHT, ParameterRole.BIAS), ps.stream().map(Parameter::role).toList());
        assertArrayEquals(new int[] {784}, m.inputShape());
        assertTrue(m.layers().get(1).isActivation());
    }

    @Test
    void imageInputIsFlattenedFirst() {
        Model m = Models.installed().parse("mlp(hidden=32, activation=tanh)").build(new int[] {1, 28, 28}, 10, 1);
        assertEquals(List.of("flatten", "dense1", "tanh1", "out"), m.layers().stream().map(Layer::name).toList());
        assertInstanceOf(Flatten.class, m.layers().get(0));
        Tensor y = m.forward(GradientCheck.random(1, 1f, 3, 1, 28, 28), StepContext.eval(new ScalarKernels()));
        assertArrayEquals(new int[] {3, 10}, y.shape());
    }

    @Test
    void activationsAndDepth() {
        Model m = Models.installed().parse("mlp(hidden=8x6x4, activation=leaky-relu)").build(new int[] {5}, 3, 2);
        assertEquals(List.of("dense1", "leaky_relu1", "dense2", "leaky_relu2", "dense3", "leaky_relu3", "out"),
                m.layers().stream().map(Layer::name).toList());
        Model s = Models.installed().parse("mlp(hidden=4, activation=sigmoid)").build(new int[] {5}, 3, 2);
        assertEquals("sigmoid1", s.layers().get(1).name());
        Model linear = Models.installed().parse("mlp(hidden=none)").build(new int[] {5}, 3, 2);
        assertEquals(List.of("out"), linear.layers().stream().map(Layer::name).toList());
        assertInstanceOf(Sequential.class, m);
        GradientCheck.checkLayer(Models.installed().parse("mlp(hidden=3x3, activation=tanh)").build(new int[] {2, 2}, 2, 4),
                GradientCheck.random(9, 1f, 2, 2, 2), GradientCheck.train());
    }

    @Test
    void batchNormSitsBetweenEachHiddenDenseAndItsActivation() {
        Model m = Models.installed().parse("mlp(hidden=6x4, activation=sigmoid, batchnorm=true)").build(new int[] {5}, 3, 2);
        assertEquals(List.of("dense1", "bn1", "sigmoid1", "dense2", "bn2", "sigmoid2", "out"),
                m.layers().stream().map(Layer::name).toList());
        Parameter scale = m.parameters().stream().filter(p -> p.name().equals("bn1.weight")).findFirst().orElseThrow();
        assertEquals(ParameterRole.NORM_SCALE, scale.role());
        assertArrayEquals(new int[] {6}, scale.value().shape());
        // the same dense weights as without batchnorm: the seeds are drawn for the dense layers only
        Model plain = Models.installed().parse("mlp(hidden=6x4, activation=sigmoid)").build(new int[] {5}, 3, 2);
        assertArrayEquals(plain.parameters().get(0).value().data(), m.parameters().get(0).value().data());
        GradientCheck.checkLayer(Models.installed().parse("mlp(hidden=3, activation=tanh, batchnorm=true)").build(new int[] {2}, 2, 4),
                GradientCheck.random(9, 1f, 4, 2), GradientCheck.train());
        SpecException e = assertThrows(SpecException.class, () -> Models.installed().parse("mlp(batchnorm=yes)"));
        assertTrue(e.getMessage().contains("batchnorm"), e.getMessage());
    }

    @Test
    void batchNormCombinesWithResidualAndWeightNormButNotWithAnotherNorm() {
        Model m = Models.installed().parse("mlp(hidden=4x4, activation=tanh, batchnorm=true, residual=true, weight_norm=true)")
                .build(new int[] {3}, 2, 5);
        assertEquals(List.of("dense1", "bn1", "tanh1", "block2", "out"), m.layers().stream().map(Layer::name).toList());
        assertTrue(m.parameters().stream().anyMatch(p -> p.name().equals("bn2.weight")), "bn2 inside the residual block");
        GradientCheck.checkLayer(m, GradientCheck.random(11, 1f, 4, 3), GradientCheck.train());
        for (String norm : List.of("layer", "group")) {
            SpecException e = assertThrows(SpecException.class,
                    () -> Models.installed().parse("mlp(hidden=8, batchnorm=true, norm=" + norm + ")").build(new int[] {3}, 2, 1));
            assertTrue(e.getMessage().contains("batchnorm=true") && e.getMessage().contains("norm=" + norm), e.getMessage());
        }
    }

    @Test
    void linearIsAnMlpWithoutHiddenLayers() {
        Model m = Models.installed().parse("linear()").build(new int[] {7}, 1, 3);
        assertEquals(List.of("out"), m.layers().stream().map(Layer::name).toList());
        Model same = Models.installed().parse("mlp(hidden=none)").build(new int[] {7}, 1, 3);
        assertArrayEquals(same.parameters().get(0).value().data(), m.parameters().get(0).value().data());
        assertEquals(List.of("flatten", "out"),
                Models.installed().parse("linear").build(new int[] {1, 2, 2}, 2, 3).layers().stream().map(Layer::name).toList());
        SpecException e = assertThrows(SpecException.class, () -> Models.installed().parse("linear(hidden=3)"));
        assertTrue(e.getMessage().contains("hidden"), e.getMessage());
    }

    @Test
    void buildIsDeterministicInTheSeed() {
        var bp = Models.installed().parse("mlp(hidden=16)");
        float[] a = bp.build(new int[] {8}, 2, 5).parameters().get(0).value().data();
        float[] b = bp.build(new int[] {8}, 2, 5).parameters().get(0).value().data();
        float[] c = bp.build(new int[] {8}, 2, 6).parameters().get(0).value().data();
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
        Model m = bp.build(new int[] {8}, 2, 5);
        // with equal seeds the layers' draws would be proportional (bounds 1/√8 and 1/√16)
        float first = m.parameters().get(0).value().get(0) * (float) Math.sqrt(8);
        float last = m.parameters().get(2).value().get(0) * (float) Math.sqrt(16);
        assertTrue(Math.abs(first - last) > 1e-4, "layers get different seeds");
    }

    @Test
    void badHiddenIsRejectedClearly() {
        for (String bad : List.of("abc", "256x", "0", "x256", "256xabc", "-3", "99999999", "2.5")) {
            SpecException e = assertThrows(SpecException.class,
                    () -> Models.installed().parse("mlp(hidden=" + bad + ")"), bad);
            assertTrue(e.getMessage().contains("hidden=" + bad) && e.getMessage().contains("256x256"), e.getMessage());
        }
        SpecException e = assertThrows(SpecException.class, () -> Models.installed().parse("mlp(activation=gelu)"));
        assertTrue(e.getMessage().contains("relu"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Models.installed().parse("mlp").build(new int[] {4}, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Models.installed().parse("mlp").build(new int[0], 2, 1));
    }

    @Test
    void normKeyPutsANormalisationBetweenEachHiddenDenseAndItsActivation() {
        Model ln = Models.installed().parse("mlp(hidden=8x4, norm=layer)").build(new int[] {5}, 3, 1);
        assertEquals(java.util.List.of("dense1", "layer_norm1", "relu1", "dense2", "layer_norm2", "relu2", "out"),
                ln.layers().stream().map(Layer::name).toList());
        Model gn = Models.installed().parse("mlp(hidden=8x4, norm=group, groups=2)").build(new int[] {5}, 3, 1);
        assertEquals("group_norm2", gn.layers().get(4).name());
        assertEquals(ParameterRole.NORM_SCALE, gn.parameters().stream().filter(p -> p.name().equals("group_norm1.weight"))
                .findFirst().orElseThrow().role());
        SpecException e = assertThrows(SpecException.class, () -> Models.installed().parse("mlp(hidden=8x6, norm=group, groups=4)"));
        assertTrue(e.getMessage().contains("groups=4") && e.getMessage().contains("6"), e.getMessage());
    }

    @Test
    void weightNormStartsAsThePlainMlpWithTheSameSeed() {
        Model plain = Models.installed().parse("mlp(hidden=8)").build(new int[] {5}, 3, 4);
        Model wn = Models.installed().parse("mlp(hidden=8, weight_norm=true)").build(new int[] {5}, 3, 4);
        assertEquals(java.util.List.of("dense1.weight_v", "dense1.weight_g", "dense1.bias", "out.weight_v", "out.weight_g", "out.bias"),
                wn.parameters().stream().map(Parameter::name).toList());
        Tensor x = GradientCheck.random(1, 1f, 2, 5);
        StepContext ctx = StepContext.eval(new ScalarKernels());
        assertArrayEquals(plain.forward(x, ctx).data(), wn.forward(x, ctx).data(), 1e-5f);
    }

    @Test
    void heAndXavierInitHaveTheirStandardDeviations() {
        for (String init : List.of("he", "xavier")) {
            for (double gain : new double[] {1, 2}) {
                Model m = Models.installed().parse("mlp(hidden=400x300, init=" + init + ", init_gain=" + gain + ")").build(new int[] {500}, 200, 3);
                int[][] fans = {{500, 400}, {400, 300}, {300, 200}};
                List<Parameter> weights = m.parameters().stream().filter(p -> p.role() == ParameterRole.WEIGHT).toList();
                for (int l = 0; l < 3; l++) {
                    int in = fans[l][0];
                    int out = fans[l][1];
                    double expected = gain * Math.sqrt(init.equals("he") ? 2.0 / in : 2.0 / (in + out));
                    float[] w = weights.get(l).value().data();
                    double sum = 0;
                    double sq = 0;
                    for (float v : w) {
                        sum += v;
                        sq += (double) v * v;
                    }
                    double mean = sum / w.length;
                    double sd = Math.sqrt(sq / w.length - mean * mean);
                    // at least 60,000 samples: the sample sd is within 1.5 % of the true one with overwhelming probability
                    assertEquals(expected, sd, 0.015 * expected, init + " gain " + gain + " " + weights.get(l).name());
                    assertEquals(0, mean, 5 * expected / Math.sqrt(w.length), weights.get(l).name());
                }
            }
        }
    }

    @Test
    void defaultInitIsPytorchsAndUnchanged() {
        Model a = Models.installed().parse("mlp(hidden=16x8)").build(new int[] {12}, 3, 5);
        Model b = Models.installed().parse("mlp(hidden=16x8, init=pytorch)").build(new int[] {12}, 3, 5);
        Model he = Models.installed().parse("mlp(hidden=16x8, init=he)").build(new int[] {12}, 3, 5);
        for (int i = 0; i < a.parameters().size(); i++) {
            assertArrayEquals(a.parameters().get(i).value().data(), b.parameters().get(i).value().data());
            float bound = (float) (1 / Math.sqrt(a.parameters().get(i).value().shape()[a.parameters().get(i).value().rank() - 1]));
            if (a.parameters().get(i).role() == ParameterRole.WEIGHT) {
                for (float v : a.parameters().get(i).value().data()) assertTrue(Math.abs(v) <= bound, "U(-1/sqrt(in), 1/sqrt(in))");
                assertFalse(Arrays.equals(a.parameters().get(i).value().data(), he.parameters().get(i).value().data()));
            } else {
                // biases keep the default under every scheme
                assertArrayEquals(a.parameters().get(i).value().data(), he.parameters().get(i).value().data());
            }
        }
    }

    @Test
    void badInitCombinationsAreClearErrors() {
        SpecException gain = assertThrows(SpecException.class, () -> Models.installed().parse("mlp(init_gain=2)"));
        assertTrue(gain.getMessage().contains("init_gain") && gain.getMessage().contains("init=he"), gain.getMessage());
        SpecException wn = assertThrows(SpecException.class, () -> Models.installed().parse("mlp(init=he, weight_norm=true)"));
        assertTrue(wn.getMessage().contains("weight_norm=true"), wn.getMessage());
        SpecException unknown = assertThrows(SpecException.class, () -> Models.installed().parse("mlp(init=lecun)"));
        assertTrue(unknown.getMessage().contains("he"), unknown.getMessage());
        assertThrows(SpecException.class, () -> Models.installed().parse("mlp(init=he, init_gain=0)"));
    }
}
