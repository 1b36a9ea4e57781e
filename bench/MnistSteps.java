import dev.regula.api.kernels.Kernels;
import dev.regula.api.kernels.KernelsSelection;
import dev.regula.api.model.Models;
import dev.regula.core.data.Dataset;
import dev.regula.core.data.FashionMnist;
import dev.regula.core.data.Standardizer;
import dev.regula.core.loss.SoftmaxCrossEntropy;
import dev.regula.core.train.BatchProgress;
import dev.regula.core.train.EpochMetrics;
import dev.regula.core.train.Trainer;
import dev.regula.core.train.TrainingCallback;
import dev.regula.core.train.TrainingConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Per-step speed of the reference Fashion-MNIST recipe (that of bench/MnistLockstep.java and
 * {@code regula train --reg 'l2(lambda=1e-4)' --reg 'dropout(p=0.2)'}): for every epoch its seconds
 * (training + test evaluation) and the fastest stretch of 50 consecutive steps, in ms per step.
 * On a VM whose speed comes and goes, the fastest stretch is the figure noise can only make worse.
 *
 * <pre>java -p regularization-examples/target/lib --add-modules jdk.incubator.vector,ALL-MODULE-PATH \
 *     bench/MnistSteps.java [epochs, default 10] [threads, default 2]</pre>
 */
public class MnistSteps {
    private static final int WINDOW = 50;

    public static void main(String[] args) throws Exception {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        // As regula train does: the kernels first, so that their JIT warm-up runs while the data loads
        Kernels kernels = KernelsSelection.create(threads);
        FashionMnist mnist = FashionMnist.load();
        Standardizer standardizer = Standardizer.fit(mnist.train());
        Dataset train = standardizer.apply(mnist.train());
        Dataset test = standardizer.apply(mnist.test());
        var model = Models.installed().parse("mlp(hidden=256x256)").build(new int[] {784}, 10, 42);
        List<Double> bestWindows = new ArrayList<>();
        TrainingCallback windows = new TrainingCallback() {
            private long windowStart;
            private int steps;
            private double best = Double.POSITIVE_INFINITY;

            @Override
            public void onBatchEnd(Trainer trainer, BatchProgress progress) {
                long now = System.nanoTime();
                if (steps == 0) windowStart = now;
                if (++steps == WINDOW + 1) {
                    best = Math.min(best, (now - windowStart) / 1e6 / WINDOW);
                    steps = 1;
                    windowStart = now;
                }
            }

            @Override
            public void onEpochEnd(Trainer trainer, EpochMetrics m) {
                bestWindows.add(best);
                System.out.printf(Locale.ROOT, "epoch %2d  %.3f s  fastest %d steps %.3f ms/step  test accuracy %.4f%n",
                        m.epoch(), m.seconds(), WINDOW, best, m.validationAccuracy());
                best = Double.POSITIVE_INFINITY;
                steps = 0;
            }
        };
        TrainingConfig config = TrainingConfig.builder().optimizer("sgd(lr=0.05, momentum=0.9)")
                .loss(new SoftmaxCrossEntropy(0)).epochs(epochs).batchSize(128).seed(42).kernels(kernels)
                .regularizer("l2(lambda=1e-4)").regularizer("dropout(p=0.2)").callback(windows).build();
        List<EpochMetrics> history = new Trainer(model, config).fit(train, test);
        double[] seconds = history.stream().mapToDouble(EpochMetrics::seconds).sorted().toArray();
        double median = (seconds[(seconds.length - 1) / 2] + seconds[seconds.length / 2]) / 2;
        double fastest = bestWindows.stream().skip(1).mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        System.out.printf(Locale.ROOT, "kernels %s: median epoch %.3f s, fastest %d-step stretch after epoch 1 %.3f ms/step%n",
                config.kernels().name(), median, WINDOW, fastest);
    }
}
