package dev.regula.core.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyFloat;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.withSettings;

import dev.regula.api.Mode;
import dev.regula.api.StepContext;
import dev.regula.api.kernels.Kernels;
import dev.regula.api.param.Parameter;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.kernels.ScalarKernels;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mockito.AdditionalAnswers;

/**
 * {@link InputBackward}: the input gradient of a convolutional network (the shape of a GAN
 * discriminator) without any weight-gradient product, the same bits as the full backward, and
 * the parameter gradients left as they were; {@link Conv2d#backwardParameters}: the same
 * parameter gradients without the input-gradient convolution.
 */
class InputBackwardTest {
    private static final int BATCH = 3;

    private static Kernels recordingKernels() {
        return mock(Kernels.class, withSettings().defaultAnswer(AdditionalAnswers.delegatesTo(new ScalarKernels())));
    }

    /** [3, 8, 8] → conv 4/2/1 → [4, 4, 4] → LeakyReLU → conv 4/2/1 → [5, 2, 2] → flatten → dense → [2]. */
    private static Sequential net() {
        return new Sequential("d", new int[] {3, 8, 8}, new Conv2d("c1", 3, 4, 4, 2, 1, 1), new LeakyReLU("a1", 0.2f),
                new Conv2d("c2", 4, 5, 4, 2, 1, 2), new Flatten("f"), new Dense("out", 20, 2, 3));
    }

    private static Tensor input() {
        SplittableRandom r = new SplittableRandom(3);
        Tensor x = Tensor.zeros(BATCH, 3, 8, 8);
        float[] d = x.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) r.nextGaussian();
        return x;
    }

    private static Tensor gradOutput() {
        Tensor g = Tensor.zeros(BATCH, 2);
        float[] d = g.data();
        for (int i = 0; i < d.length; i++) d[i] = (i % 5 - 2) * 0.25f;
        return g;
    }

    private static StepContext ctx(Kernels k) {
        return new StepContext(Mode.TRAIN, 0, 0, 0.1, 42L, k);
    }

    @Test
    void sequentialInputGradientIsTheFullBackwardsWithoutAnyParameterGradient() {
        Sequential full = net();
        full.forward(input(), ctx(new ScalarKernels()));
        float[] expected = full.backward(gradOutput(), ctx(new ScalarKernels())).data().clone();

        Kernels k = recordingKernels();
        Sequential net = net();
        for (Parameter p : net.parameters()) p.grad().fill(7f);
        net.forward(input(), ctx(k));
        Tensor dx = net.backwardInput(gradOutput(), ctx(k));

        assertArrayEquals(expected, dx.data(), "∂L/∂input");
        verify(k, never()).conv2dBackwardWeight(any(), any(), any(), anyFloat(), any());
        // Dense's weight gradient gᵀ·x is the only transposed-A product of this network
        verify(k, never()).gemm(eq(true), eq(false), anyInt(), anyInt(), anyInt(), anyFloat(),
                any(), anyInt(), anyInt(), any(), anyInt(), anyInt(), anyFloat(), any(), anyInt(), anyInt());
        for (Parameter p : net.parameters()) {
            for (float v : p.grad().data()) assertEquals(7f, v, p.name() + " keeps its gradient");
        }
    }

    @Test
    void convolutionParameterBackwardKeepsEveryGradientAndSkipsTheInputGradient() {
        Sequential full = net();
        full.forward(input(), ctx(new ScalarKernels()));
        full.backward(gradOutput(), ctx(new ScalarKernels()));

        Kernels k = recordingKernels();
        Sequential net = net();
        net.forward(input(), ctx(k));
        net.backwardParameters(gradOutput(), ctx(k));

        // c2's input gradient feeds c1; c1's (3 input channels) is the one skipped
        verify(k, never()).conv2dBackwardInput(
                org.mockito.ArgumentMatchers.argThat(g -> g.inChannels() == 3), any(), any(), any(), any());
        List<Parameter> expected = full.parameters();
        List<Parameter> actual = net.parameters();
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i).grad().data(), actual.get(i).grad().data(), expected.get(i).name());
        }
    }

    @Test
    void theSinglePassesNeedAForwardFirst() {
        StepContext ctx = ctx(new ScalarKernels());
        Conv2d c = new Conv2d("c", 3, 4, 4, 2, 1, 1);
        assertThrows(IllegalStateException.class, () -> c.backwardInput(Tensor.zeros(BATCH, 4, 4, 4), ctx));
        assertThrows(IllegalStateException.class, () -> c.backwardParameters(Tensor.zeros(BATCH, 4, 4, 4), ctx));
        Dense d = new Dense("d", 5, 2, 1);
        assertThrows(IllegalStateException.class, () -> d.backwardInput(Tensor.zeros(BATCH, 2), ctx));
    }

    @Test
    void aGradientOfTheWrongShapeIsRefusedByName() {
        StepContext ctx = ctx(new ScalarKernels());
        Conv2d c = new Conv2d("c", 3, 4, 4, 2, 1, 1);
        c.forward(input(), ctx);
        var e = assertThrows(dev.regula.api.ShapeMismatchException.class, () -> c.backwardInput(Tensor.zeros(BATCH, 4, 3, 3), ctx));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("'c'"), e.getMessage());
    }
}
