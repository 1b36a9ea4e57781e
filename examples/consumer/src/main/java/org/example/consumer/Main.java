package org.example.consumer;

import dev.regula.api.Mode;
import dev.regula.api.StepContext;
import dev.regula.api.kernels.Kernels;
import dev.regula.api.kernels.KernelsSelection;
import dev.regula.api.model.Model;
import dev.regula.api.model.Models;
import dev.regula.api.param.Parameter;
import dev.regula.api.param.ParameterRole;
import dev.regula.api.regularizer.ParameterRegularizer;
import dev.regula.api.regularizer.RegularizerProvider;
import dev.regula.api.regularizer.Regularizers;
import dev.regula.api.tensor.Tensor;
import dev.regula.core.data.Dataset;
import dev.regula.core.loss.SoftmaxCrossEntropy;
import dev.regula.core.train.EpochMetrics;
import dev.regula.core.train.Trainer;
import dev.regula.core.train.TrainingConfig;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains a small network on data it makes itself, with Regula's dropout and this project's own
 * {@code cauchy} regularizer, and checks on the way what a user relies on: the plugin is found, its
 * gradient is right, the expected kernels run, the network learns. Exit code 0 if all holds, 1
 * otherwise, with the reason on standard error.
 *
 * <p>Usage: {@code Main [scalar|vector]}, the kernels expected (default: any).
 */
public final class Main {
    private static final int FEATURES = 4;
    private static final int CLASSES = 3;

    private Main() {
    }

    /**
     * @param args the expected kernels, {@code scalar} or {@code vector}, or nothing
     */
    public static void main(String[] args) {
        try {
            run(args.length > 0 ? args[0] : "");
        } catch (IllegalStateException e) {
            System.err.println("consumer: FAILED: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void run(String expectedKernels) {
        boolean modulePath = Main.class.getModule().isNamed();
        System.out.println("consumer: on the " + (modulePath ? "module path as " + Main.class.getModule().getName() : "class path"));

        RegularizerProvider plugin = Regularizers.installed().provider(CauchyProvider.NAME);
        check(plugin instanceof CauchyProvider, "ServiceLoader did not find this project's '" + CauchyProvider.NAME
                + "' provider (" + (modulePath ? "provides in module-info" : "META-INF/services") + "); found " + plugin);

        Kernels kernels = KernelsSelection.create(1);
        System.out.println("consumer: kernels " + kernels.name());
        check(kernels.name().startsWith(expectedKernels), "expected the " + expectedKernels + " kernels but "
                + kernels.name() + " were selected" + ("vector".equals(expectedKernels)
                ? " (is regularization-vector on the path and java run with --add-modules jdk.incubator.vector?)" : ""));
        checkGradient((ParameterRegularizer) Regularizers.installed().parse("cauchy(lambda=0.7, c=0.3)"), kernels);
        train(kernels);
    }

    /** Compares the plugin's gradient with central differences of its penalty. */
    private static void checkGradient(ParameterRegularizer r, Kernels kernels) {
        float[] v = {0.05f, -0.2f, 0.9f, -2.5f, 0f, 0.31f};
        Parameter p = new Parameter("dense1", "weight", ParameterRole.WEIGHT, Tensor.of(v.clone(), 2, 3));
        StepContext ctx = new StepContext(Mode.TRAIN, 0, 0, 0.1, 7L, kernels);
        p.zeroGrad();
        r.apply(p, ctx);
        float[] w = p.value().data();
        for (int i = 0; i < w.length; i++) {
            float old = w[i];
            float up = old + 1e-3f;
            float down = old - 1e-3f;
            w[i] = up;
            double plus = r.penalty(p, ctx);
            w[i] = down;
            double minus = r.penalty(p, ctx);
            w[i] = old;
            double numeric = (plus - minus) / ((double) up - down);
            double analytic = p.grad().data()[i];
            check(Math.abs(analytic - numeric) <= 1e-4 + 1e-2 * Math.abs(numeric),
                    "cauchy gradient at θ=" + old + ": " + analytic + ", finite difference " + numeric);
        }
        System.out.println("consumer: " + r.spec() + " gradient matches finite differences");
    }

    private static void train(Kernels kernels) {
        Dataset train = blobs(600, 1);
        Dataset test = blobs(300, 2);
        Model model = Models.installed().parse("mlp(hidden=16)").build(new int[] {FEATURES}, CLASSES, 42);
        TrainingConfig config = TrainingConfig.builder()
                .optimizer("sgd(lr=0.05, momentum=0.9)")
                .regularizer("cauchy(lambda=1e-3, c=0.5)")
                .regularizer("dropout(p=0.1)")
                .loss(new SoftmaxCrossEntropy())
                .epochs(8).batchSize(32).seed(42)
                .kernels(kernels)
                .build();
        List<EpochMetrics> history = new Trainer(model, config).fit(train, test);
        EpochMetrics last = history.getLast();
        System.out.printf("consumer: %d epochs, loss %.4f, penalties %s, test accuracy %.4f%n",
                last.epoch(), last.trainLoss(), last.penalties(), last.validationAccuracy());
        check(last.penalties().keySet().stream().anyMatch(k -> k.startsWith(CauchyProvider.NAME)),
                "the cauchy penalty is missing from the metrics: " + last.penalties());
        check(last.validationAccuracy() >= 0.9, "test accuracy " + last.validationAccuracy() + " < 0.9 on separable blobs");
    }

    /** Three Gaussian blobs in 4 dimensions, centres 3 apart, unit variance. */
    private static Dataset blobs(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[n * FEATURES];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int k = i % CLASSES;
            y[i] = k;
            for (int j = 0; j < FEATURES; j++) {
                double centre = j == k ? 3 : 0;
                x[i * FEATURES + j] = (float) (centre + gaussian(random));
            }
        }
        return new Dataset(Tensor.of(x, n, FEATURES), Tensor.of(y, n), CLASSES);
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    private static void check(boolean ok, String message) {
        if (!ok) throw new IllegalStateException(message);
    }
}
