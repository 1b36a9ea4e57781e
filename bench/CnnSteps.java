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
import java.util.List;
import java.util.Locale;

/**
 * Speed of the default {@code cnn()} on Fashion-MNIST as {@code regula train --model 'cnn()'} runs it
 * (standardised inputs, sgd(lr=0.05, momentum=0.9), batch 128, no regularizer; bench/fashion_mnist_cnn.py
 * is the PyTorch twin). With {@code examples} below 60,000 it trains on the first that many
 * training images and evaluates on the first 1,000 test images, so a noisy machine can be sampled
 * in short runs; the figure to compare is the median step, and an epoch of 469 steps is estimated
 * from it, next to the process CPU time per step after the first 10 (on a loaded machine the
 * fairer figure with one thread; with two it counts the helpers' spinning too). With 60000 it runs whole epochs and prints their seconds and test accuracy.
 *
 * <pre>java -p regularization-examples/target/lib --add-modules jdk.incubator.vector,ALL-MODULE-PATH \
 *     bench/CnnSteps.java [examples 6400] [epochs 1] [threads 2] [seed 42]</pre>
 */
public class CnnSteps {
    public static void main(String[] args) throws Exception {
        int examples = args.length > 0 ? Integer.parseInt(args[0]) : 6400;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 42;
        Kernels kernels = KernelsSelection.create(threads);
        KernelsWarmup.await(); // nothing timed beside the kernels' JIT warm-up
        FashionMnist mnist = FashionMnist.load();
        Standardizer standardizer = Standardizer.fit(mnist.train());
        Dataset train = standardizer.apply(mnist.train()).subset(0, examples);
        Dataset test = standardizer.apply(mnist.test());
        if (examples < 60000) test = test.subset(0, 1000);
        var model = Models.installed().parse("cnn()").build(new int[] {784}, 10, seed);
        List<Double> steps = new ArrayList<>();
        long[] cpu = new long[2]; // process CPU nanoseconds at step 10 and at the last step
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        TrainingCallback timer = new TrainingCallback() {
            private long last;

            @Override
            public void onBatchEnd(Trainer trainer, BatchProgress progress) {
                long now = System.nanoTime();
                if (last != 0) steps.add((now - last) / 1e6);
                last = now;
                if (steps.size() == 10) cpu[0] = os.getProcessCpuTime();
                cpu[1] = os.getProcessCpuTime();
            }

            @Override
            public void onEpochEnd(Trainer trainer, EpochMetrics m) {
                System.out.printf(Locale.ROOT, "epoch %2d  %.3f s  test accuracy %.4f%n", m.epoch(), m.seconds(),
                        m.validationAccuracy());
                last = 0;
            }
        };
        TrainingConfig config = TrainingConfig.builder().optimizer("sgd(lr=0.05, momentum=0.9)")
                .loss(new SoftmaxCrossEntropy(0)).epochs(epochs).batchSize(128).seed(seed).kernels(kernels)
                .callback(timer).build();
        new Trainer(model, config).fit(train, test);
        // the first 10 steps of the run (JIT warm-up) are left out
        double[] s = steps.stream().skip(Math.min(10, steps.size() / 2)).mapToDouble(Double::doubleValue).sorted().toArray();
        double median = s[s.length / 2];
        double cpuMs = (cpu[1] - cpu[0]) / 1e6 / Math.max(1, steps.size() - 10);
        System.out.printf(Locale.ROOT, "RESULT cnn_step_ms regula %.2f ms (median of %d steps, %s; process CPU %.2f ms/step)"
                + "; 469 steps: %.1f s%n", median, s.length, kernels.name(), cpuMs, median * 469 / 1000);
    }
}
