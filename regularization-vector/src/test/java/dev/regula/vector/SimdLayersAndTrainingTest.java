package dev.regula.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.regula.api.Mode;
import dev.regula.api.StepContext;
import dev.regula.api.kernels.Kernels;
import dev.regula.api.model.Layer;
import dev.regula.api.model.Model;
import dev.regula.api.model.Models;
import dev.regula.api.param.Parameter;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.data.Dataset;
import dev.regula.core.kernels.ScalarKernels;
import dev.regula.core.layer.BatchNorm;
import dev.regula.core.layer.Conv2d;
import dev.regula.core.layer.ConvTranspose2d;
import dev.regula.core.layer.Dense;
import dev.regula.core.layer.Flatten;
import dev.regula.core.layer.LeakyReLU;
import dev.regula.core.layer.ReLU;
import dev.regula.core.layer.Sequential;
import dev.regula.core.layer.Sigmoid;
import dev.regula.core.layer.Softmax;
import dev.regula.core.layer.Tanh;
import dev.regula.core.layer.Upsample2d;
import dev.regula.core.layer.UpsampleConv2d;
import dev.regula.core.loss.SoftmaxCrossEntropy;
import dev.regula.core.train.EpochMetrics;
import dev.regula.core.train.Trainer;
import dev.regula.core.train.TrainingConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Core's layers and trainer run on the SIMD kernels as they do on the scalar ones.
 *
 * <p>Core's tests check every layer against finite differences, but core cannot see this module,
 * so they run on the scalar kernels (the losses compute on their own, in double, whatever the
 * kernels). Here each layer's TRAIN forward, input gradient and
 * parameter gradients, and its EVAL forward, computed with the SIMD kernels (two threads) must
 * agree with the scalar ones within {@link #TOLERANCE} of the largest magnitude of the compared
 * tensor, or of 1 where that is smaller (inputs and upstream gradients are unit Gaussians, and a
 * gradient that cancels to about zero, such as a bias before batch norm, is rounding noise on both
 * sides; the products and reductions sum in another order); with the gradients checked on the
 * scalar kernels, this checks them on the SIMD kernels too. Whole trainings (an MLP with L2 and
 * dropout, a small CNN with batch norm and Adam) must give the same results on one SIMD thread as
 * on two, bit for bit, and the same accuracy as the scalar kernels.
 */
class SimdLayersAndTrainingTest {
    /** Allowed difference, relative to the largest magnitude in the compared tensor (at least 1). */
    static final double TOLERANCE = 1e-5;

    private static final Kernels SCALAR = new ScalarKernels();

    static Stream<Arguments> layers() {
        return Stream.of(
                layer("dense 37->29", () -> new Dense("dense", 37, 29, 3), 13, 37),
                layer("dense 300->70, split over threads", () -> new Dense("dense", 300, 70, 4), 40, 300),
                layer("relu", () -> new ReLU("relu"), 7, 45),
                layer("leaky-relu", () -> new LeakyReLU("lrelu", 0.2f), 7, 45),
                layer("tanh", () -> new Tanh("tanh"), 7, 45),
                layer("sigmoid", () -> new Sigmoid("sigmoid"), 7, 45),
                layer("softmax", () -> new Softmax("softmax"), 7, 19),
                layer("conv 3x3 stride 1 pad 1", () -> new Conv2d("conv", 3, 5, 3, 1, 1, 5), 2, 3, 9, 7),
                layer("conv 4x4 stride 2 pad 1", () -> new Conv2d("conv", 3, 6, 4, 2, 1, 6), 3, 3, 10, 10),
                layer("conv-transpose 4x4 stride 2 pad 1", () -> new ConvTranspose2d("deconv", 4, 3, 4, 2, 1, 7), 2, 4, 5, 6),
                layer("batch-norm 2d", () -> new BatchNorm("bn", 5), 3, 5, 4, 3),
                layer("batch-norm 1d", () -> new BatchNorm("bn", 17), 9, 17),
                layer("upsample", () -> new Upsample2d("up", 2), 2, 3, 5, 4),
                layer("upsample-conv", () -> new UpsampleConv2d("upconv", 5, 3, 8), 3, 5, 7, 6),
                layer("cnn", () -> cnn(8), 4, 1, 8, 8));
    }

    private static Arguments layer(String label, Supplier<Layer> factory, int... inputShape) {
        return Arguments.of(label, factory, inputShape);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void everyLayerComputesOnSimdKernelsWhatItComputesOnScalarOnes(String label, Supplier<Layer> factory, int[] shape) {
        Kernels simd = KernelsTestSupport.vector(2);
        Tensor x = random(11, shape);
        Layer onScalar = factory.get();
        Layer onSimd = factory.get();
        StepContext scalarStep = new StepContext(Mode.TRAIN, 3, 0, 0.1, 42, SCALAR);
        StepContext simdStep = new StepContext(Mode.TRAIN, 3, 0, 0.1, 42, simd);

        Tensor expectedOut = onScalar.forward(x.copy(), scalarStep);
        Tensor actualOut = onSimd.forward(x.copy(), simdStep);
        assertClose(label + ": TRAIN output", expectedOut, actualOut);

        Tensor upstream = random(12, expectedOut.shape());
        onScalar.parameters().forEach(Parameter::zeroGrad);
        onSimd.parameters().forEach(Parameter::zeroGrad);
        Tensor expectedGin = onScalar.backward(upstream.copy(), scalarStep);
        Tensor actualGin = onSimd.backward(upstream.copy(), simdStep);
        assertClose(label + ": input gradient", expectedGin, actualGin);
        for (int i = 0; i < onScalar.parameters().size(); i++) {
            Parameter p = onScalar.parameters().get(i);
            assertClose(label + ": gradient of " + p.name(), p.grad(), onSimd.parameters().get(i).grad());
        }

        assertClose(label + ": EVAL output", onScalar.forward(x.copy(), StepContext.eval(SCALAR)),
                onSimd.forward(x.copy(), StepContext.eval(simd)));
    }

    @Test
    void anMlpWithL2AndDropoutTrainsTheSameOnOneAndTwoSimdThreadsAndAsOnScalarKernels() {
        // Batches of 256 through 128-wide layers: the products (256·128·128 multiply-adds) and the
        // element-wise kernels (256·128 values) are large enough to be split over the two threads.
        Dataset train = blobs(2048, 1);
        Dataset test = blobs(320, 2);
        Supplier<Model> mlp = () -> Models.installed().parse("mlp(hidden=128x128)").build(new int[] {12}, 3, 5);
        Supplier<TrainingConfig.Builder> recipe = () -> TrainingConfig.builder().loss(new SoftmaxCrossEntropy())
                .optimizer("sgd(lr=0.05, momentum=0.9)").regularizer("l2(lambda=1e-4)").regularizer("dropout(p=0.2)")
                .epochs(3).batchSize(256).seed(7);
        assertSameTraining("mlp", mlp, recipe, train, test);
    }

    @Test
    void aCnnWithBatchNormAndAdamTrainsTheSameOnOneAndTwoSimdThreadsAndAsOnScalarKernels() {
        Dataset train = images(256, 3);
        Dataset test = images(128, 4);
        Supplier<TrainingConfig.Builder> recipe = () -> TrainingConfig.builder().loss(new SoftmaxCrossEntropy()).optimizer("adam(lr=0.01)")
                .regularizer("weight-decay(lambda=1e-4)").epochs(3).batchSize(32).seed(9);
        assertSameTraining("cnn", () -> cnn(8), recipe, train, test);
    }

    /** Each training gets a fresh model, fresh regularizers and a fresh optimizer from the factories. */
    private static void assertSameTraining(String label, Supplier<Model> factory, Supplier<TrainingConfig.Builder> recipe,
            Dataset train, Dataset test) {
        Trainer oneThread = train(factory, recipe.get().kernels(KernelsTestSupport.vector(1)), train, test);
        Trainer twoThreads = train(factory, recipe.get().kernels(KernelsTestSupport.vector(2)), train, test);
        Trainer scalar = train(factory, recipe.get().kernels(SCALAR), train, test);
        List<Parameter> one = oneThread.model().parameters();
        for (int i = 0; i < one.size(); i++) {
            assertArrayEquals(one.get(i).value().data(), twoThreads.model().parameters().get(i).value().data(),
                    label + ": " + one.get(i).name() + " differs between one and two SIMD threads");
        }
        double simdAccuracy = oneThread.evaluate(test).accuracy();
        double scalarAccuracy = scalar.evaluate(test).accuracy();
        assertTrue(simdAccuracy > 0.9, label + ": SIMD test accuracy " + simdAccuracy);
        // Rounding differs (sums in another order), and training amplifies it; the models must still
        // classify the test set alike: at most 2 of the test examples may come out differently.
        assertEquals(scalarAccuracy, simdAccuracy, 2.0 / test.size() + 1e-9,
                label + ": test accuracy, SIMD vs scalar kernels");
    }

    private static Trainer train(Supplier<Model> factory, TrainingConfig.Builder recipe, Dataset train, Dataset test) {
        Trainer t = new Trainer(factory.get(), recipe.build());
        List<EpochMetrics> history = t.fit(train, test);
        assertTrue(history.get(history.size() - 1).trainLoss() < history.get(0).trainLoss(), "training loss must fall");
        return t;
    }

    /** Conv → batch norm → ReLU → stride-2 conv → ReLU → dense, on [N, 1, size, size] images, 3 classes. */
    private static Sequential cnn(int size) {
        int half = size / 2;
        return new Sequential("cnn", new int[] {1, size, size},
                new Conv2d("conv1", 1, 6, 3, 1, 1, 21), new BatchNorm("bn1", 6), new ReLU("relu1"),
                new Conv2d("conv2", 6, 8, 4, 2, 1, 22), new ReLU("relu2"), new Flatten("flatten"),
                new Dense("out", 8 * half * half, 3, 23));
    }

    /** Three well separated Gaussian blobs in 12 dimensions. */
    private static Dataset blobs(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 12];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            y[i] = c;
            for (int d = 0; d < 12; d++) x[i * 12 + d] = (float) ((d % 3 == c ? 1.5 : 0) + r.nextGaussian() * 0.6);
        }
        return new Dataset(Tensor.wrap(x, n, 12), Tensor.wrap(y, n), 3);
    }

    /** 8×8 images of a horizontal bar, a vertical bar or a diagonal, with noise: 3 classes. */
    private static Dataset images(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 64];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            y[i] = c;
            int at = 1 + r.nextInt(6);
            for (int row = 0; row < 8; row++) {
                for (int col = 0; col < 8; col++) {
                    boolean on = c == 0 ? row == at : c == 1 ? col == at : row == col;
                    x[i * 64 + row * 8 + col] = (float) ((on ? 1 : 0) + r.nextGaussian() * 0.3);
                }
            }
        }
        return new Dataset(Tensor.wrap(x, n, 1, 8, 8), Tensor.wrap(y, n), 3);
    }

    private static Tensor random(long seed, int... shape) {
        Tensor t = Tensor.zeros(shape);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < t.size(); i++) t.data()[i] = (float) r.nextGaussian();
        return t;
    }

    private static void assertClose(String what, Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double largest = 0;
        for (float v : expected.data()) largest = Math.max(largest, Math.abs(v));
        double tolerance = TOLERANCE * Math.max(largest, 1);
        List<String> off = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            if (!(Math.abs(expected.data()[i] - actual.data()[i]) <= tolerance)) {
                off.add("[" + i + "] " + expected.data()[i] + " vs " + actual.data()[i]);
            }
        }
        if (!off.isEmpty()) {
            fail(what + ": " + off.size() + " of " + expected.size() + " values differ by more than " + tolerance
                    + ", e.g. " + off.subList(0, Math.min(3, off.size())));
        }
    }
}
