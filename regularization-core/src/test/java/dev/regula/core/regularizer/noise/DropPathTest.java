package dev.regula.core.regularizer.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.regula.api.Mode;
import dev.regula.api.StepContext;
import dev.regula.api.model.Layer;
import dev.regula.api.model.Models;
import dev.regula.api.regularizer.ActivationRegularizer;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.spec.SpecException;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.kernels.ScalarKernels;
import dev.regula.core.layer.Residual;
import dev.regula.core.layer.Sequential;
import dev.regula.core.testing.GradientCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

class DropPathTest {
    private static ActivationRegularizer create(String spec) {
        return (ActivationRegularizer) Regularizers.installed().parse(spec);
    }

    @Test
    void dropsWholeExamplesAtTheStatedRateAndScalesTheKeptOnes() {
        Layer layer = create("drop-path(p=0.3)").newLayer("drop_path1");
        int batch = 4000;
        Tensor x = Tensor.zeros(batch, 3).fill(2f);
        Tensor y = layer.forward(x, new StepContext(Mode.TRAIN, 11, 0, 0.1, 5, new ScalarKernels()));
        int dropped = 0;
        for (int b = 0; b < batch; b++) {
            float first = y.get(b * 3);
            assertTrue(first == 0f || Math.abs(first - 2f / 0.7f) < 1e-6, "example " + b + ": " + first);
            for (int j = 1; j < 3; j++) assertEquals(first, y.get(b * 3 + j), "the whole example is dropped or kept");
            if (first == 0f) dropped++;
        }
        assertEquals(0.3, dropped / (double) batch, 4 * Math.sqrt(0.21 / batch));
    }

    @Test
    void gradientMatchesFiniteDifferencesAndEvalIsTheIdentity() {
        Layer layer = create("drop-path(p=0.5)").newLayer("drop_path1");
        GradientCheck.checkLayer(layer, GradientCheck.random(3, 1f, 6, 4), GradientCheck.train());
        Tensor x = GradientCheck.random(4, 1f, 2, 4);
        assertSame(x, layer.forward(x, StepContext.eval(new ScalarKernels())));
    }

    @Test
    void goesToTheEndOfEveryResidualBranchOnly() {
        Sequential net = (Sequential) Models.installed().parse("mlp(hidden=8x8x8, residual=true)").build(new int[] {4}, 3, 1);
        assertEquals(List.of("dense1", "relu1", "block2", "block3", "out"), net.layers().stream().map(Layer::name).toList());
        Sequential with = net.withActivationRegularizers(List.of(create("drop-path(p=0.2)"), create("dropout(p=0.1)")));
        assertEquals(List.of("dense1", "relu1", "dropout1", "block2", "block3", "out"), with.layers().stream().map(Layer::name).toList());
        Residual block = (Residual) with.layers().get(3);
        assertEquals(List.of("dense2", "relu2", "dropout2", "drop-path1"), block.branch().stream().map(Layer::name).toList());
        assertEquals(net.parameters(), with.parameters(), "the same parameters, shared");
        assertEquals(List.of(), net.placedNowhere(List.of(create("drop-path(p=0.2)"))));
        Sequential plain = (Sequential) Models.installed().parse("mlp(hidden=8x8)").build(new int[] {4}, 3, 1);
        assertEquals(1, plain.placedNowhere(List.of(create("drop-path(p=0.2)"))).size(), "no residual block: placed nowhere");
    }

    @Test
    void residualNeedsTwoEqualWidths() {
        SpecException e = assertThrows(SpecException.class, () -> Models.installed().parse("mlp(hidden=8x4, residual=true)"));
        assertTrue(e.getMessage().contains("residual=true"), e.getMessage());
    }

    private static float[][] train(String... regs) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        int n = 96;
        float[] x = new float[n * 4];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int d = 0; d < 4; d++) x[i * 4 + d] = (float) ((d == i % 3 ? 2 : 0) + r.nextGaussian() * 0.5);
        }
        dev.regula.core.data.Dataset data = new dev.regula.core.data.Dataset(Tensor.wrap(x, n, 4), Tensor.wrap(y, n), 3);
        dev.regula.core.train.TrainingConfig.Builder b = dev.regula.core.train.TrainingConfig.builder().optimizer("sgd(lr=0.05)")
                .loss(new dev.regula.core.loss.SoftmaxCrossEntropy()).epochs(2).batchSize(16).seed(3).kernels(new ScalarKernels());
        for (String reg : regs) b.regularizer(reg);
        dev.regula.core.train.Trainer t = new dev.regula.core.train.Trainer(
                Models.installed().parse("mlp(hidden=8x8, residual=true)").build(new int[] {4}, 3, 2), b.build());
        t.fit(data, null);
        return t.model().parameters().stream().map(p -> p.value().data().clone()).toArray(float[][]::new);
    }

    @Test
    void zeroRateTrainsBitIdenticallyAndAPositiveRateChangesTraining() {
        float[][] plain = train();
        assertArrayEquals(plain, train("drop-path(p=0)"));
        assertTrue(!java.util.Arrays.deepEquals(plain, train("drop-path(p=0.5)")));
    }
}
