package dev.regula.core.regularizer.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.Mode;
import dev.regula.api.UnsupportedShapeException;
import dev.regula.api.StepContext;
import dev.regula.api.model.Layer;
import dev.regula.api.model.Models;
import dev.regula.api.regularizer.ActivationRegularizer;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.spec.SpecException;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.kernels.ScalarKernels;
import dev.regula.core.layer.Sequential;
import dev.regula.core.testing.GradientCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

class DropBlockTest {
    private static ActivationRegularizer create(String spec) {
        return (ActivationRegularizer) Regularizers.installed().parse(spec);
    }

    private static StepContext train(long step, long seed) {
        return new StepContext(Mode.TRAIN, step, 0, 0.1, seed, new ScalarKernels());
    }

    @Test
    void evalAndZeroProbabilityAreTheIdentityBitForBit() {
        Tensor x = GradientCheck.random(1, 2f, 2, 3, 7, 7);
        float[] copy = x.data().clone();
        assertSame(x, create("drop-block(p=0.3, block=3)").newLayer("b").forward(x, StepContext.eval(new ScalarKernels())));
        Tensor y = create("drop-block(p=0, block=3)").newLayer("b").forward(x, train(1, 42));
        assertArrayEquals(copy, y.data(), 0f);
        assertArrayEquals(copy, x.data(), 0f, "the input is not touched");
    }

    @Test
    void dropsAboutAFractionPOnLargeMapsAndKeepsTheMean() {
        // Overlapping squares make the expected rate a little below p: the mean over the map of
        // 1 − (1 − γ)^(seeds covering a unit) is 0.0955 for p = 0.1, b = 3, 40×40. One run has about
        // 570 seeds, a standard deviation of about 0.004; the tolerance 0.015 covers bias and noise.
        for (long seed : new long[] {1, 2, 3, 4}) {
            Layer layer = create("drop-block(p=0.1, block=3)").newLayer("relu1");
            Tensor x = Tensor.zeros(4, 8, 40, 40).fill(1f);
            Tensor y = layer.forward(x, train(7, seed));
            int dropped = 0;
            double sum = 0;
            for (float v : y.data()) {
                if (v == 0f) dropped++;
                sum += v;
            }
            double rate = dropped / (double) y.size();
            assertEquals(0.1, rate, 0.015, "seed " + seed);
            assertEquals(1.0, sum / y.size(), 1e-4, "count/ones rescaling keeps the mean, seed " + seed);
            float scale = (float) (y.size() / (double) (y.size() - dropped));
            for (float v : y.data()) assertTrue(v == 0f || v == scale, "kept units are scaled by count/ones: " + v);
        }
    }

    @Test
    void droppedUnitsFormWholeSquares() {
        int h = 12;
        int w = 12;
        int b = 3;
        Layer layer = create("drop-block(p=0.05, block=3)").newLayer("relu1");
        Tensor y = layer.forward(Tensor.zeros(2, 3, h, w).fill(1f), train(3, 9));
        int droppedPlanes = 0;
        for (int pc = 0; pc < 6; pc++) {
            boolean[] covered = new boolean[h * w];
            int off = pc * h * w;
            boolean any = false;
            // every dropped unit must lie in some fully dropped 3x3 square inside the map
            for (int i = 0; i + b <= h; i++) {
                for (int j = 0; j + b <= w; j++) {
                    boolean all = true;
                    for (int di = 0; di < b && all; di++)
                        for (int dj = 0; dj < b && all; dj++) all = y.get(off + (i + di) * w + j + dj) == 0f;
                    if (all) {
                        any = true;
                        for (int di = 0; di < b; di++)
                            for (int dj = 0; dj < b; dj++) covered[(i + di) * w + j + dj] = true;
                    }
                }
            }
            for (int k = 0; k < h * w; k++) {
                if (y.get(off + k) == 0f) assertTrue(covered[k], "plane " + pc + " unit " + k + " is dropped outside any 3x3 square");
            }
            if (any) droppedPlanes++;
        }
        assertTrue(droppedPlanes > 0, "some square was dropped");
    }

    @Test
    void masksArePerChannelAndReproducibleFromTheSeed() {
        Tensor x = Tensor.zeros(2, 4, 10, 10).fill(1f);
        float[] a = create("drop-block(p=0.2)").newLayer("relu1").forward(x, train(5, 11)).data().clone();
        float[] again = create("drop-block(p=0.2)").newLayer("relu1").forward(x, train(5, 11)).data().clone();
        float[] otherSeed = create("drop-block(p=0.2)").newLayer("relu1").forward(x, train(5, 12)).data().clone();
        float[] otherStep = create("drop-block(p=0.2)").newLayer("relu1").forward(x, train(6, 11)).data().clone();
        assertArrayEquals(a, again, 0f);
        assertTrue(!java.util.Arrays.equals(a, otherSeed) && !java.util.Arrays.equals(a, otherStep));
        boolean differ = false;
        for (int k = 0; k < 100; k++) differ |= a[k] != a[100 + k];
        assertTrue(differ, "channels 0 and 1 have their own masks");
    }

    @Test
    void backwardAppliesTheSameMaskAndScale() {
        Layer layer = create("drop-block(p=0.3, block=2)").newLayer("relu1");
        StepContext ctx = train(4, 21);
        Tensor x = GradientCheck.random(5, 1f, 2, 2, 6, 6);
        Tensor ones = Tensor.zeros(2, 2, 6, 6).fill(1f);
        float[] factors = layer.forward(ones, ctx).data().clone(); // y of ones = mask · scale
        Tensor y = layer.forward(x, ctx);
        Tensor g = GradientCheck.random(6, 1f, 2, 2, 6, 6);
        Tensor gin = layer.backward(g, ctx);
        for (int i = 0; i < x.size(); i++) {
            assertEquals(x.get(i) * factors[i], y.get(i), 0f);
            assertEquals(g.get(i) * factors[i], gin.get(i), 0f, "grad = mask · scale · gradOut at " + i);
        }
        GradientCheck.checkLayer(layer, GradientCheck.random(7, 1f, 2, 2, 6, 6), GradientCheck.train());
    }

    @Test
    void badKeysAndShapesGiveClearErrors() {
        for (String spec : new String[] {"drop-block(p=1)", "drop-block(p=-0.1)"}) {
            SpecException e = assertThrows(SpecException.class, () -> create(spec));
            assertTrue(e.getMessage().contains("[0, 1)") && e.getMessage().contains("drop-block"), e.getMessage());
        }
        for (String spec : new String[] {"drop-block(block=0)", "drop-block(block=65)"}) {
            SpecException e = assertThrows(SpecException.class, () -> create(spec));
            assertTrue(e.getMessage().contains("block") && e.getMessage().contains("64"), e.getMessage());
        }
        Layer layer = create("drop-block(p=0.1)").newLayer("relu_dense");
        UnsupportedShapeException e = assertThrows(UnsupportedShapeException.class, () -> layer.forward(Tensor.zeros(4, 10), train(1, 1)));
        assertTrue(e.getMessage().contains("rank 4") && e.getMessage().contains("relu_dense") && e.getMessage().contains("[4, 10]"),
                e.getMessage());
    }

    @Test
    void byDefaultGoesAfterTheConvolutionActivationsOnly() {
        ActivationRegularizer r = create("drop-block(p=0.1, block=3)");
        assertTrue(r.insertAfter("relu1", true));
        assertTrue(r.insertAfter("relu12", true));
        assertTrue(!r.insertAfter("relu_dense", true));
        assertEquals(r.spec(), create(r.spec()).spec(), "the canonical spec round-trips");
        Sequential net = (Sequential) Models.installed().parse("cnn(channels=2x3, dense=4)").build(new int[] {1, 8, 8}, 3, 1);
        Sequential with = net.withActivationRegularizers(List.of(r));
        List<String> names = with.layers().stream().map(Layer::name).toList();
        assertEquals(net.layers().size() + 2, names.size(), names.toString());
        assertEquals(names.indexOf("relu1") + 1, names.indexOf("drop-block1"), names.toString());
        assertEquals(names.indexOf("relu2") + 1, names.indexOf("drop-block2"), names.toString());
        Tensor out = with.forward(GradientCheck.random(2, 1f, 5, 1, 8, 8), train(1, 3));
        assertEquals(5 * 3, out.size(), "a training forward through the cnn works");
    }
}
