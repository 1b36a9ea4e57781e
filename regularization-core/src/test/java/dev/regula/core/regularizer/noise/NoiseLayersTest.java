package dev.regula.core.regularizer.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.Mode;
import dev.regula.api.UnsupportedShapeException;
import dev.regula.api.StepContext;
import dev.regula.api.kernels.CounterRng;
import dev.regula.api.model.Layer;
import dev.regula.api.regularizer.ActivationRegularizer;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.kernels.ScalarKernels;
import dev.regula.core.testing.GradientCheck;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NoiseLayersTest {
    private static final String[] ALL = {
        "dropout(p=0.3)", "gaussian-dropout(p=0.3)", "gaussian-noise(stddev=0.5)", "alpha-dropout(p=0.3)", "spatial-dropout(p=0.3)"
    };

    private static ActivationRegularizer create(String spec) {
        return (ActivationRegularizer) Regularizers.installed().parse(spec);
    }

    private static StepContext train(long step) {
        return new StepContext(Mode.TRAIN, step, 0, 0.1, 42L, new ScalarKernels());
    }

    private static Tensor input(long seed) {
        return GradientCheck.random(seed, 2f, 4, 3, 5); // rank 3 so spatial-dropout works too
    }

    @Test
    void dropoutPreservesTheMeanAndDropsAboutAFractionP() {
        Layer layer = create("dropout(p=0.3)").newLayer("drop1");
        Tensor x = Tensor.zeros(1000, 100).fill(2f);
        Tensor y = layer.forward(x, train(5));
        int dropped = 0;
        double sum = 0;
        for (float v : y.data()) {
            if (v == 0f) dropped++;
            else assertEquals(2f / 0.7f, v, 1e-6f, "kept units are scaled by 1/(1-p)");
            sum += v;
        }
        assertEquals(0.3, dropped / (double) y.size(), 0.01);
        assertEquals(2.0, sum / y.size(), 0.02);
    }

    @Test
    void evalModeIsTheIdentityAndChangesNoState() {
        for (String spec : ALL) {
            Layer fresh = create(spec).newLayer("n1");
            Tensor x = input(1);
            float[] copy = x.data().clone();
            Tensor y = fresh.forward(x, StepContext.eval(new ScalarKernels()));
            assertSame(x, y, spec);
            assertArrayEquals(copy, x.data(), 0f, spec);
            assertThrows(IllegalStateException.class, () -> fresh.backward(x, train(0)), spec + ": EVAL created no state");

            Layer trained = create(spec).newLayer("n1");
            trained.forward(x, train(3));
            Tensor g = input(2);
            float[] before = trained.backward(g, train(3)).data();
            trained.forward(input(9), StepContext.eval(new ScalarKernels()));
            assertArrayEquals(before, trained.backward(g, train(3)).data(), 0f, spec + ": EVAL forward kept the TRAIN mask");
            assertArrayEquals(new int[] {3, 5}, trained.outputShape(new int[] {3, 5}), spec);
        }
    }

    @Test
    void masksAreAPureFunctionOfSeedStepAndName() {
        for (String spec : ALL) {
            ActivationRegularizer r = create(spec);
            Tensor x = input(3);
            float[] a = r.newLayer("n1").forward(x, train(7)).data();
            float[] b = r.newLayer("n1").forward(x, train(7)).data();
            float[] otherStep = r.newLayer("n1").forward(x, train(8)).data();
            float[] otherName = r.newLayer("n2").forward(x, train(7)).data();
            float[] otherSeed = r.newLayer("n1").forward(x, new StepContext(Mode.TRAIN, 7, 0, 0.1, 43L, new ScalarKernels())).data();
            assertArrayEquals(a, b, 0f, spec);
            assertFalse(Arrays.equals(a, otherStep), spec + ": another step gives another mask");
            assertFalse(Arrays.equals(a, otherName), spec + ": another layer gives another mask");
            assertFalse(Arrays.equals(a, otherSeed), spec + ": another seed gives another mask");
        }
    }

    @Test
    void dropoutMaskMatchesTheCounterRngContractAndBackwardAppliesIt() {
        Layer layer = create("dropout(p=0.5)").newLayer("drop1");
        Tensor x = GradientCheck.random(4, 1f, 8, 16);
        StepContext ctx = train(11);
        Tensor y = layer.forward(x, ctx);
        long key = CounterRng.key(42L, CounterRng.stream("drop1"), 11);
        Tensor g = GradientCheck.random(5, 1f, 8, 16);
        Tensor gin = layer.backward(g, ctx);
        for (int i = 0; i < x.size(); i++) {
            float m = CounterRng.uniform(key, i) < 0.5f ? 0f : 2f;
            assertEquals(x.get(i) * m, y.get(i), 0f, "y[" + i + "]");
            assertEquals(g.get(i) * m, gin.get(i), 0f, "backward = mask ⊙ gradOut at " + i);
        }
    }

    @Test
    void everyNoiseLayerPassesTheGradientCheck() {
        for (String spec : ALL) GradientCheck.checkLayer(create(spec).newLayer("n1"), input(6), train(2));
    }

    @Test
    void gaussianDropoutHasMeanOneAndVarianceOfDropout() {
        Layer layer = create("gaussian-dropout(p=0.2)").newLayer("g1");
        Tensor y = layer.forward(Tensor.zeros(200, 500).fill(1f), train(1));
        double[] mv = meanVariance(y.data());
        assertEquals(1.0, mv[0], 0.01);
        assertEquals(0.2 / 0.8, mv[1], 0.01);
    }

    @Test
    void gaussianNoiseAddsNoiseOfTheGivenStddevAndPassesGradientsThrough() {
        Layer layer = create("gaussian-noise(stddev=0.5)").newLayer("g1");
        Tensor x = Tensor.zeros(200, 500).fill(3f);
        double[] mv = meanVariance(layer.forward(x, train(1)).data());
        assertEquals(3.0, mv[0], 0.01);
        assertEquals(0.25, mv[1], 0.01);
        Tensor g = GradientCheck.random(1, 1f, 200, 500);
        assertArrayEquals(g.data(), layer.backward(g, train(1)).data(), 0f);
    }

    @Test
    void alphaDropoutKeepsZeroMeanAndUnitVariance() {
        Layer layer = create("alpha-dropout(p=0.2)").newLayer("a1");
        Tensor x = Tensor.zeros(400, 500);
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < x.size(); i++) x.set(i, (float) nextGaussian(rnd));
        double[] in = meanVariance(x.data());
        Tensor y = layer.forward(x, train(4));
        double[] out = meanVariance(y.data());
        assertEquals(in[0], out[0], 0.01, "mean");
        assertEquals(in[1], out[1], 0.02, "variance");
        // Dropped units all take the value a·α' + b (SELU's saturation after the affine correction).
        double a = 1 / Math.sqrt(0.8 * (1 + 0.2 * AlphaDropout.ALPHA_PRIME * AlphaDropout.ALPHA_PRIME));
        float saturation = (float) (a * AlphaDropout.ALPHA_PRIME - a * AlphaDropout.ALPHA_PRIME * 0.2);
        int saturated = 0;
        for (float v : y.data()) if (Math.abs(v - saturation) < 1e-6f) saturated++;
        assertEquals(0.2, saturated / (double) y.size(), 0.01, "fraction dropped");
    }

    @Test
    void spatialDropoutDropsWholeChannelsAndRejectsRankTwo() {
        Layer layer = create("spatial-dropout(p=0.5)").newLayer("s1");
        Tensor x = Tensor.zeros(8, 16, 2, 3).fill(1f);
        Tensor y = layer.forward(x, train(2));
        int droppedChannels = 0;
        for (int bc = 0; bc < 8 * 16; bc++) {
            float first = y.get(bc * 6);
            for (int i = 1; i < 6; i++) assertEquals(first, y.get(bc * 6 + i), 0f, "channel " + bc + " is dropped or kept whole");
            assertTrue(first == 0f || first == 2f);
            if (first == 0f) droppedChannels++;
        }
        assertTrue(droppedChannels > 30 && droppedChannels < 98, "about half of 128 channels: " + droppedChannels);
        UnsupportedShapeException e = assertThrows(UnsupportedShapeException.class, () -> layer.forward(Tensor.zeros(4, 10), train(2)));
        assertTrue(e.getMessage().contains("rank >= 3") && e.getMessage().contains("s1"), e.getMessage());
    }

    @Test
    void insertionFollowsTheAfterKey() {
        ActivationRegularizer byDefault = create("dropout(p=0.1)");
        assertTrue(byDefault.insertAfter("relu1", true));
        assertFalse(byDefault.insertAfter("dense1", false));
        ActivationRegularizer byGlob = create("dropout(p=0.1, after='dense*|conv2')");
        assertTrue(byGlob.insertAfter("dense1", false));
        assertTrue(byGlob.insertAfter("conv2", false));
        assertFalse(byGlob.insertAfter("relu1", true));
        assertFalse(byGlob.insertAfter("conv21", false));
    }

    @Test
    void pZeroIsTheIdentityInTraining() {
        for (String spec : new String[] {"dropout(p=0)", "gaussian-dropout(p=0)", "alpha-dropout(p=0)", "spatial-dropout(p=0)"}) {
            Tensor x = input(8);
            assertArrayEquals(x.data(), create(spec).newLayer("n").forward(x, train(1)).data(), 1e-6f, spec);
        }
    }

    private static double[] meanVariance(float[] v) {
        double s = 0;
        for (float x : v) s += x;
        double mean = s / v.length;
        double q = 0;
        for (float x : v) q += (x - mean) * (x - mean);
        return new double[] {mean, q / v.length};
    }

    private static double nextGaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
