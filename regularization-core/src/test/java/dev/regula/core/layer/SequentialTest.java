package dev.regula.core.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.ShapeMismatchException;
import dev.regula.api.StepContext;
import dev.regula.api.model.Layer;
import dev.regula.api.param.Parameter;
import dev.regula.api.regularizer.ActivationRegularizer;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.testing.GradientCheck;
import dev.regula.core.testing.RecordingIdentity;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SequentialTest {
    private static final StepContext TRAIN = GradientCheck.train();

    private static Sequential mlp() {
        return new Sequential("net", new int[] {4},
                new Dense("dense1", 4, 5, 1), new ReLU("relu1"),
                new Dense("dense2", 5, 5, 2), new ReLU("relu2"),
                new Dense("out", 5, 3, 3));
    }

    @Test
    void shapesAreCheckedAtConstructionNamingTheLayer() {
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> new Sequential("net", new int[] {4},
                new Dense("dense1", 4, 3, 0), new ReLU("relu1"), new Dense("dense2", 5, 2, 0)));
        assertTrue(e.getMessage().contains("dense2") && e.getMessage().contains("[5]") && e.getMessage().contains("[3]"),
                e.getMessage());
        assertArrayEquals(new int[] {3}, mlp().outputShape());
    }

    @Test
    void namesMustBeUnique() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Sequential("net", new int[] {4},
                new Dense("d", 4, 4, 0), new Dense("d", 4, 4, 0)));
        assertTrue(e.getMessage().contains("'d'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Sequential("net", new int[] {4}));
    }

    @Test
    void forwardChecksTheInputShape() {
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                () -> mlp().forward(Tensor.zeros(2, 3), TRAIN));
        assertTrue(e.getMessage().contains("net") && e.getMessage().contains("[batch, 4]")
                && e.getMessage().contains("[2, 3]"), e.getMessage());
    }

    @Test
    void parametersInLayerOrder() {
        List<String> names = mlp().parameters().stream().map(Parameter::name).toList();
        assertEquals(List.of("dense1.weight", "dense1.bias", "dense2.weight", "dense2.bias", "out.weight", "out.bias"), names);
    }

    /** Test double: inserts an identity layer with a recognisable class. */
    private record Marker(String name, Set<String> after) implements ActivationRegularizer {
        @Override
        public String spec() {
            return name;
        }

        @Override
        public Layer newLayer(String layerName) {
            return new RecordingIdentity(layerName);
        }

        @Override
        public boolean insertAfter(String layerName, boolean hiddenActivation) {
            return after == null ? hiddenActivation : after.contains(layerName);
        }
    }

    @Test
    void activationRegularizersGoAfterHiddenActivationsAndShareParameters() {
        Sequential base = new Sequential("net", new int[] {4},
                new Dense("dense1", 4, 5, 1), new ReLU("relu1"), new Dense("out", 5, 3, 3), new Tanh("tanh_out"));
        Sequential with = base.withActivationRegularizers(List.of(new Marker("dropout", null)));
        assertEquals(List.of("dense1", "relu1", "dropout1", "out", "tanh_out"),
                with.layers().stream().map(Layer::name).toList(), "not after the last layer even if it is an activation");
        assertSame(base.layers().get(0), with.layers().get(0));
        for (int i = 0; i < base.parameters().size(); i++) assertSame(base.parameters().get(i), with.parameters().get(i));
        assertEquals(4, base.layers().size(), "the original is unchanged");
    }

    @Test
    void severalRegularizersInOrderWithUniqueNames() {
        Sequential with = mlp().withActivationRegularizers(List.of(
                new Marker("dropout", null), new Marker("noise", Set.of("dense1", "out")), new Marker("dropout", null)));
        assertEquals(List.of("dense1", "noise1", "relu1", "dropout1", "dropout2", "dense2", "relu2", "dropout3", "dropout4",
                "out", "noise2"), with.layers().stream().map(Layer::name).toList());
        assertSame(mlp().getClass(), with.getClass());
        Sequential none = mlp();
        assertSame(none, none.withActivationRegularizers(List.of()));
    }

    /** The regularizers the insertion gives no layer are exactly those reported as placed nowhere. */
    @Test
    void regularizersGivenNoLayerAreReportedAsPlacedNowhere() {
        Marker everywhere = new Marker("dropout", null);
        Marker named = new Marker("noise", Set.of("dense1"));
        Marker nowhere = new Marker("noise", Set.of("no-such-layer"));
        assertEquals(List.of(nowhere), mlp().placedNowhere(List.of(everywhere, named, nowhere)));
        assertEquals(List.of(), mlp().placedNowhere(List.of(everywhere, named)));
        Sequential lastOnly = new Sequential("net", new int[] {2}, new Dense("out", 2, 2, 3), new ReLU("relu_out"));
        assertEquals(List.of(everywhere), lastOnly.placedNowhere(List.of(everywhere)), "never after the last layer");
        assertSame(lastOnly, lastOnly.withActivationRegularizers(List.of(everywhere)), "and indeed nothing is inserted");
    }

    /** The names after= globs are matched against: every layer's, inside residual branches too, of the model as given. */
    @Test
    void layerNamesIncludeResidualBranchesAndNotInsertedLayers() {
        Sequential net = new Sequential("net", new int[] {3}, new Dense("dense1", 3, 3, 1),
                new Residual("block1", List.of(new Dense("inner", 3, 3, 2), new ReLU("inner_relu"))), new Dense("out", 3, 2, 3));
        assertEquals(List.of("dense1", "block1", "inner", "inner_relu", "out"), net.layerNames());
        Sequential with = net.withActivationRegularizers(List.of(new Marker("dropout", null)));
        assertTrue(with.layerNames().contains("dropout1"), "the inserted model lists its own layers");
        assertEquals(5, net.layerNames().size(), "the model as given is unchanged");
    }

    @Test
    void insertedNamesAvoidExistingLayerNames() {
        Sequential base = new Sequential("net", new int[] {2},
                new Dense("dropout1", 2, 2, 1), new ReLU("relu1"), new Dense("out", 2, 2, 3));
        Sequential with = base.withActivationRegularizers(List.of(new Marker("dropout", null)));
        assertEquals(List.of("dropout1", "relu1", "dropout2", "out"), with.layers().stream().map(Layer::name).toList());
    }

    @Test
    void forwardThroughRegularizedModelEqualsBaseForIdentityLayers() {
        Sequential base = mlp();
        Sequential with = base.withActivationRegularizers(List.of(new Marker("dropout", null)));
        Tensor x = GradientCheck.random(2, 1f, 3, 4);
        assertArrayEquals(base.forward(x, TRAIN).data(), with.forward(x, TRAIN).data());
    }

    @Test
    void evalForwardFromManyThreadsIsDeterministic() throws Exception {
        Sequential m = mlp();
        StepContext eval = StepContext.eval(TRAIN.kernels());
        Tensor x = GradientCheck.random(4, 1f, 16, 4);
        float[] expected = m.forward(x, eval).data();
        List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger bad = new java.util.concurrent.atomic.AtomicInteger();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    if (!java.util.Arrays.equals(expected, m.forward(x, eval).data())) bad.incrementAndGet();
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) th.join();
        assertEquals(0, bad.get());
    }
}
