package dev.regula.gan.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.StepContext;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.tensor.Tensor;
import dev.regula.gan.testing.TestKernels;
import dev.regula.core.layer.Conv2d;
import dev.regula.core.layer.ConvTranspose2d;
import dev.regula.core.layer.MinibatchStddev;
import dev.regula.core.layer.Sequential;
import dev.regula.core.layer.UpsampleConv2d;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DcganTest {
    @ParameterizedTest
    @ValueSource(ints = {16, 32, 64})
    void generatorMakesImagesTheDiscriminatorScores(int size) {
        Sequential g = Dcgan.generator(size, 8, 5, 8, 1);
        Sequential d = Dcgan.discriminator(size, 8, 1);
        assertArrayEquals(new int[] {13}, g.inputShape());
        assertArrayEquals(new int[] {3, size, size}, g.outputShape());
        assertArrayEquals(new int[] {3, size, size}, d.inputShape());
        assertArrayEquals(new int[] {1}, d.outputShape());
        StepContext eval = StepContext.eval(TestKernels.selected());
        Tensor x = g.forward(GanTrainer.latents(1, "t", 0, 2, 13), eval);
        assertArrayEquals(new int[] {2, 3, size, size}, x.shape());
        for (float v : x.data()) assertTrue(v > -1 && v < 1, "tanh output in (-1, 1): " + v);
        assertArrayEquals(new int[] {2, 1}, d.forward(x, eval).shape());
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 32, 64})
    void minibatchStddevFeedsTheLastConvolutionOneMoreChannel(int size) {
        Sequential d = Dcgan.discriminator(size, 8, 2, 1);
        int at = d.layers().indexOf(d.layers().stream().filter(MinibatchStddev.class::isInstance).findFirst().orElseThrow());
        Conv2d last = (Conv2d) d.layers().get(at + 1);
        assertEquals(Dcgan.channels(size, 8, 8) + 1, last.weight().value().dim(1), "input channels of the last convolution");
        assertEquals(1, d.layers().stream().filter(MinibatchStddev.class::isInstance).count());
        Tensor x = Dcgan.generator(size, 8, 5, 8, 1).forward(GanTrainer.latents(1, "t", 0, 4, 13),
                StepContext.eval(TestKernels.selected()));
        assertArrayEquals(new int[] {4, 1}, d.forward(x, StepContext.eval(TestKernels.selected())).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dcgan.discriminator(size, 8, 1, 1));
        assertTrue(e.getMessage().contains("0 (none) or >= 2"), e.getMessage());
    }

    @Test
    void channelsFollowTheDcganLayoutAt32() {
        assertEquals(64, Dcgan.channels(32, 64, 4));
        assertEquals(32, Dcgan.channels(32, 64, 8));
        assertEquals(16, Dcgan.channels(32, 64, 16));
        assertEquals(128, Dcgan.channels(64, 64, 4));
    }

    @Test
    void parameterNamesAreDistinctAcrossBothNetworks() {
        Set<String> names = new HashSet<>();
        for (Parameter p : Dcgan.generator(32, 8, 5, 8, 1).parameters()) assertTrue(names.add(p.name()), p.name());
        for (Parameter p : Dcgan.discriminator(32, 8, 1).parameters()) assertTrue(names.add(p.name()), p.name());
    }

    @Test
    void initialisationIsDcgans() {
        Sequential g = Dcgan.generator(32, 16, 5, 32, 7);
        for (Parameter p : g.parameters()) {
            float[] v = p.value().data();
            if (p.role() == ParameterRole.WEIGHT) {
                double sq = 0;
                for (float x : v) sq += x * x;
                double std = Math.sqrt(sq / v.length);
                assertEquals(0.02, std, 0.004, p.name() + " std");
            } else {
                float expected = p.role() == ParameterRole.NORM_SCALE ? 1f : 0f;
                for (float x : v) assertEquals(expected, x, 0f, p.name());
            }
        }
    }

    @Test
    void rejectsUnsupportedSizesAndWidths() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dcgan.generator(48, 8, 5, 8, 1));
        assertTrue(e.getMessage().contains("16, 32 and 64"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Dcgan.discriminator(32, 6, 1));
        assertTrue(e.getMessage().contains("multiple of 4"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 32, 64})
    void nearestGeneratorUpsamplesWithoutTransposedConvolutions(int size) {
        Sequential g = Dcgan.generator(size, 8, 5, 8, 1, Dcgan.Upsampling.NEAREST);
        assertArrayEquals(new int[] {3, size, size}, g.outputShape());
        assertTrue(g.layers().stream().noneMatch(ConvTranspose2d.class::isInstance));
        long ups = g.layers().stream().filter(UpsampleConv2d.class::isInstance).count();
        assertEquals(Integer.numberOfTrailingZeros(size / 4), ups);
        Tensor x = g.forward(GanTrainer.latents(1, "t", 0, 2, 13), StepContext.eval(TestKernels.selected()));
        assertArrayEquals(new int[] {2, 3, size, size}, x.shape());
        for (float v : x.data()) assertTrue(v > -1 && v < 1, "tanh output in (-1, 1): " + v);
    }
}
