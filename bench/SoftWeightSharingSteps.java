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
import java.util.Arrays;
import java.util.Locale;

/**
 * Cost of a soft-weight-sharing step against a plain one on the reference MLP (784-256-256-10
 * ReLU, SGD momentum 0.9, lr 0.05, batch 128, Fashion-MNIST): runs of {@code epochs} epochs take
 * turns, plain (no regularizer) and {@code soft-weight-sharing(lambda=1e-5)} (16 components), each
 * {@code rounds} times, and per run and epoch the fastest stretch of 50 consecutive steps (ms per
 * step) is kept: on a shared VM whose speed comes and goes, the figure noise can only make worse.
 * The first epoch is left out (C2 compiles the mixture kernel then, which the kernels' start-up
 * warm-up leaves out). The mixture narrows as training goes on, and the kernel's cost with it, so
 * the ratio is printed for every later epoch; the last line is the last epoch's, as before.
 * Prints every run, the median of each kind and their ratio.
 *
 * <pre>java -p regularization-examples/target/lib --add-modules jdk.incubator.vector,ALL-MODULE-PATH \
 *     bench/SoftWeightSharingSteps.java [rounds, default 3] [epochs, default 4] [threads, default 2] [spec]</pre>
 */
public class SoftWeightSharingSteps {
    private static final int WINDOW = 50;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        String spec = args.length > 3 ? args[3] : "soft-weight-sharing(lambda=1e-5)";
        if (epochs < 2) throw new IllegalArgumentException("epochs must be >= 2 (the first is left out), got " + epochs);
        Kernels kernels = KernelsSelection.create(threads);
        KernelsWarmup.await(); // nothing timed beside the kernels' JIT warm-up
        FashionMnist mnist = FashionMnist.load();
        Standardizer standardizer = Standardizer.fit(mnist.train());
        Dataset train = standardizer.apply(mnist.train()).subset(0, 20_000);
        Dataset test = standardizer.apply(mnist.test()).subset(0, 1_000);
        double[][] plain = new double[epochs][rounds]; // [epoch][round], epoch 0 unused
        double[][] sws = new double[epochs][rounds];
        for (int r = 0; r < rounds; r++) {
            double[] p = run(kernels, train, test, epochs, null);
            double[] q = run(kernels, train, test, epochs, spec);
            for (int e = 1; e < epochs; e++) {
                plain[e][r] = p[e];
                sws[e][r] = q[e];
            }
            System.out.printf(Locale.ROOT, "round %d: plain %.3f ms/step, %s %.3f ms/step%n", r + 1, p[epochs - 1], spec,
                    q[epochs - 1]);
        }
        for (int e = 1; e < epochs - 1; e++) {
            System.out.printf(Locale.ROOT, "epoch %d: median of fastest %d-step stretches: plain %.3f ms, %s %.3f ms, ratio %.2f%n",
                    e + 1, WINDOW, median(plain[e]), spec, median(sws[e]), median(sws[e]) / median(plain[e]));
        }
        double mp = median(plain[epochs - 1]);
        double ms = median(sws[epochs - 1]);
        System.out.printf(Locale.ROOT, "kernels %s: median of fastest %d-step stretches: plain %.3f ms, %s %.3f ms, ratio %.2f%n",
                kernels.name(), WINDOW, mp, spec, ms, ms / mp);
    }

    /** @return per epoch (index 0 = the first), the fastest stretch of {@value #WINDOW} steps, ms per step */
    private static double[] run(Kernels kernels, Dataset train, Dataset test, int epochs, String spec) {
        var model = Models.installed().parse("mlp(hidden=256x256)").build(new int[] {784}, 10, 42);
        double[] best = new double[epochs];
        Arrays.fill(best, Double.POSITIVE_INFINITY);
        TrainingCallback windows = new TrainingCallback() {
            private long windowStart;
            private int steps;
            private int epoch;

            @Override
            public void onBatchEnd(Trainer trainer, BatchProgress progress) {
                long now = System.nanoTime();
                if (steps == 0) windowStart = now;
                if (++steps == WINDOW + 1) {
                    best[epoch] = Math.min(best[epoch], (now - windowStart) / 1e6 / WINDOW);
                    steps = 1;
                    windowStart = now;
                }
            }

            @Override
            public void onEpochEnd(Trainer trainer, EpochMetrics m) {
                epoch++;
                steps = 0;
            }
        };
        TrainingConfig.Builder b = TrainingConfig.builder().optimizer("sgd(lr=0.05, momentum=0.9)")
                .loss(new SoftmaxCrossEntropy(0)).epochs(epochs).batchSize(128).seed(42).kernels(kernels).callback(windows);
        if (spec != null) b.regularizer(spec);
        new Trainer(model, b.build()).fit(train, test);
        return best;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return (s[(s.length - 1) / 2] + s[s.length / 2]) / 2;
    }
}
