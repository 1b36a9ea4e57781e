package dev.regula.core.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyFloat;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.withSettings;

import dev.regula.api.Mode;
import dev.regula.api.StepContext;
import dev.regula.api.kernels.Kernels;
import dev.regula.api.param.Parameter;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.data.Dataset;
import dev.regula.core.kernels.ScalarKernels;
import dev.regula.core.loss.SoftmaxCrossEntropy;
import dev.regula.core.train.Trainer;
import dev.regula.core.train.TrainingConfig;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mockito.AdditionalAnswers;

/**
 * The first layer's input gradient (g·W of dense1, a [batch, in] product nobody reads) must not be
 * computed by {@link Sequential#backwardParameters} nor by the trainer, while every parameter
 * gradient stays exactly what the full backward gives.
 */
class ParameterBackwardTest {
    private static final int IN = 7;
    private static final int HIDDEN = 5;
    private static final int BATCH = 3;

    /** Scalar kernels behind a Mockito mock that records every call. */
    private static Kernels recordingKernels() {
        return mock(Kernels.class, withSettings().defaultAnswer(AdditionalAnswers.delegatesTo(new ScalarKernels())));
    }

    private static Sequential net() {
        return new Sequential("net", new int[] {IN}, new Dense("dense1", IN, HIDDEN, 1), new ReLU("relu1"),
                new Dense("out", HIDDEN, 3, 2));
    }

    /** Verifies that no GEMM produced a [rows, IN] matrix from a [rows, HIDDEN]·[HIDDEN, IN] product: dense1's g·W. */
    private static void verifyNoInputGradientOfTheFirstLayer(Kernels k) {
        verify(k, never()).gemm(eq(false), eq(false), anyInt(), eq(IN), eq(HIDDEN), anyFloat(),
                any(), anyInt(), anyInt(), any(), anyInt(), anyInt(), anyFloat(), any(), anyInt(), anyInt());
    }

    private static Tensor input() {
        SplittableRandom r = new SplittableRandom(3);
        float[] x = new float[BATCH * IN];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        return Tensor.wrap(x, BATCH, IN);
    }

    private static Tensor gradOutput() {
        float[] g = new float[BATCH * 3];
        for (int i = 0; i < g.length; i++) g[i] = (i % 5 - 2) * 0.25f;
        return Tensor.wrap(g, BATCH, 3);
    }

    @Test
    void sequentialSkipsOnlyTheFirstLayersInputGradientAndKeepsEveryParameterGradient() {
        Sequential full = net();
        StepContext plain = new StepContext(Mode.TRAIN, 0, 0, 0.1, 42L, new ScalarKernels());
        full.forward(input(), plain);
        full.backward(gradOutput(), plain);

        Kernels k = recordingKernels();
        StepContext recorded = new StepContext(Mode.TRAIN, 0, 0, 0.1, 42L, k);
        Sequential skipping = net();
        skipping.forward(input(), recorded);
        skipping.backwardParameters(gradOutput(), recorded);

        verifyNoInputGradientOfTheFirstLayer(k);
        // 2 forward products, 2 weight gradients, 1 input gradient (of "out", feeding relu1)
        verify(k, times(5)).gemm(anyBoolean(), anyBoolean(), anyInt(), anyInt(), anyInt(), anyFloat(),
                any(), anyInt(), anyInt(), any(), anyInt(), anyInt(), anyFloat(), any(), anyInt(), anyInt());
        List<Parameter> expected = full.parameters();
        List<Parameter> actual = skipping.parameters();
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i).grad().data(), actual.get(i).grad().data(), expected.get(i).name());
        }
    }

    @Test
    void fullBackwardStillReturnsTheInputGradient() {
        Kernels k = recordingKernels();
        StepContext ctx = new StepContext(Mode.TRAIN, 0, 0, 0.1, 42L, k);
        Sequential net = net();
        net.forward(input(), ctx);
        Tensor dx = net.backward(gradOutput(), ctx);
        assertArrayEquals(new int[] {BATCH, IN}, dx.shape());
        verify(k, times(1)).gemm(eq(false), eq(false), eq(BATCH), eq(IN), eq(HIDDEN), anyFloat(),
                any(), anyInt(), anyInt(), any(), anyInt(), anyInt(), anyFloat(), any(), anyInt(), anyInt());
    }

    @Test
    void denseParameterBackwardNeedsAForwardFirst() {
        Dense d = new Dense("d", IN, HIDDEN, 1);
        assertThrows(IllegalStateException.class,
                () -> d.backwardParameters(Tensor.zeros(BATCH, HIDDEN), new StepContext(Mode.TRAIN, 0, 0, 0.1, 1L, new ScalarKernels())));
    }

    @Test
    void trainerNeverComputesTheGradientWithRespectToTheData() {
        SplittableRandom r = new SplittableRandom(5);
        int n = 40;
        float[] x = new float[n * IN];
        float[] y = new float[n];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        for (int i = 0; i < n; i++) y[i] = i % 3;
        Dataset data = new Dataset(Tensor.wrap(x, n, IN), Tensor.wrap(y, n), 3);
        Kernels k = recordingKernels();
        TrainingConfig config = TrainingConfig.builder().optimizer("sgd(lr=0.05, momentum=0.9)")
                .loss(new SoftmaxCrossEntropy(0)).regularizer("l2(lambda=1e-4)").regularizer("dropout(p=0.2)")
                .epochs(1).batchSize(8).seed(7).kernels(k).build();
        new Trainer(net(), config).fit(data, null);
        verify(k, atLeastOnce()).gemm(eq(true), eq(false), eq(HIDDEN), eq(IN), anyInt(), anyFloat(),
                any(), anyInt(), anyInt(), any(), anyInt(), anyInt(), anyFloat(), any(), anyInt(), anyInt());
        verifyNoInputGradientOfTheFirstLayer(k);
    }
}
