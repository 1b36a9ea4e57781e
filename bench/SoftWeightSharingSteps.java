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
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Cost of a soft-weight-sharing step against a plain one on the reference MLP (784-256-256-10
 * ReLU, SGD momentum 0.9, lr 0.05, batch 128, 20,000 Fashion-MNIST images): the two trainings
 * run in lockstep, taking turns every {@value #WINDOW} steps (one runs while the other waits), so
 * each soft-weight-sharing window is timed next to the plain window of the same epoch and step,
 * a few milliseconds apart. On a VM whose speed changes within minutes (the host moves its vCPUs
 * apart and together), a ratio of two runs made minutes apart measures the host; a ratio of
 * neighbouring windows measures the regularizer.
 *
 * <p>Per epoch it prints the median of the paired ratios, both medians in ms a step and, of the
 * regularized step, the median time inside {@code mixturePriorGradient} (both trainings call the
 * kernels through the same timing proxy, which costs them alike); the
 * first epoch is left out (C2 compiles the mixture kernel then, which the kernels' start-up
 * warm-up leaves out). The mixture narrows as training goes on, and the kernel's cost with it,
 * so every later epoch is printed; the last line is over all of them. {@code rounds} repeats the
 * lockstep run from the same seed.
 *
 * <pre>java -p regularization-examples/target/lib --add-modules jdk.incubator.vector,ALL-MODULE-PATH \
 *     bench/SoftWeightSharingSteps.java [rounds, default 1] [epochs, default 10] [threads, default 2] [spec]</pre>
 */
public class SoftWeightSharingSteps {
    private static final int WINDOW = 50;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        String spec = args.length > 3 ? args[3] : "soft-weight-sharing(lambda=1e-5)";
        if (epochs < 2) throw new IllegalArgumentException("epochs must be >= 2 (the first is left out), got " + epochs);
        Kernels kernels = KernelsSelection.create(threads);
        KernelsWarmup.await(); // nothing timed beside the kernels' JIT warm-up
        FashionMnist mnist = FashionMnist.load();
        Standardizer standardizer = Standardizer.fit(mnist.train());
        Dataset train = standardizer.apply(mnist.train()).subset(0, 20_000);
        Dataset test = standardizer.apply(mnist.test()).subset(0, 1_000);
        List<List<double[]>> pairs = new ArrayList<>(); // per epoch: {plain, sws, sws's mixture prior} ms a step
        for (int e = 0; e < epochs; e++) pairs.add(new ArrayList<>());
        for (int r = 0; r < rounds; r++) {
            Baton baton = new Baton();
            List<List<double[]>> plain = windows(epochs);
            List<List<double[]>> sws = windows(epochs);
            Thread a = Thread.ofPlatform().start(() -> run(kernels, train, test, epochs, null, baton, 0, plain));
            Thread b = Thread.ofPlatform().start(() -> run(kernels, train, test, epochs, spec, baton, 1, sws));
            a.join();
            b.join();
            if (baton.failure != null) throw new IllegalStateException("a training failed", baton.failure);
            for (int e = 1; e < epochs; e++) {
                for (int w = 0; w < Math.min(plain.get(e).size(), sws.get(e).size()); w++) {
                    pairs.get(e).add(new double[] {plain.get(e).get(w)[0], sws.get(e).get(w)[0], sws.get(e).get(w)[1]});
                }
            }
        }
        System.out.printf(Locale.ROOT, "kernels %s, %s, windows of %d steps taking turns%n", kernels.name(), spec, WINDOW);
        List<double[]> every = new ArrayList<>();
        for (int e = 1; e < epochs; e++) {
            print("epoch " + (e + 1), pairs.get(e));
            every.addAll(pairs.get(e));
        }
        print("epochs 2-" + epochs, every);
    }

    private static void print(String what, List<double[]> pairs) {
        double[] p = pairs.stream().mapToDouble(v -> v[0]).toArray();
        double[] s = pairs.stream().mapToDouble(v -> v[1]).toArray();
        double[] mixture = pairs.stream().mapToDouble(v -> v[2]).toArray();
        double[] ratio = pairs.stream().mapToDouble(v -> v[1] / v[0]).toArray();
        double[] sorted = ratio.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT,
                "%s: %d pairs, plain %.3f ms, sws %.3f ms a step (of which the mixture prior %.3f; medians), ratio median %.2f (%.2f-%.2f)%n",
                what, pairs.size(), median(p), median(s), median(mixture), median(ratio), sorted[0], sorted[sorted.length - 1]);
    }

    private static List<List<double[]>> windows(int epochs) {
        List<List<double[]>> w = new ArrayList<>();
        for (int e = 0; e < epochs; e++) w.add(new ArrayList<>());
        return w;
    }

    /** Whose turn it is: the two trainings hand it over after every window and at every epoch's end. */
    private static final class Baton {
        private int turn;
        private final boolean[] done = new boolean[2];
        volatile Throwable failure;

        synchronized void await(int me) throws InterruptedException {
            while (turn != me && !done[1 - me]) wait();
        }

        synchronized void pass(int me) throws InterruptedException {
            turn = 1 - me;
            notifyAll();
            await(me);
        }

        synchronized void finish(int me) {
            done[me] = true;
            turn = 1 - me;
            notifyAll();
        }
    }

    /**
     * Trains one model, timing every full window of {@value #WINDOW} steps into ms[epoch]: ms a
     * step, and of it in {@code mixturePriorGradient}.
     */
    private static void run(Kernels kernels, Dataset train, Dataset test, int epochs, String spec, Baton baton, int me,
                            List<List<double[]>> ms) {
        long[] inMixture = {0}; // ns, this training's thread only
        Kernels timed = (Kernels) Proxy.newProxyInstance(Kernels.class.getClassLoader(), new Class<?>[] {Kernels.class},
                (proxy, method, a) -> {
                    long t0 = System.nanoTime();
                    try {
                        return method.invoke(kernels, a);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if (method.getName().equals("mixturePriorGradient")) inMixture[0] += System.nanoTime() - t0;
                    }
                });
        try {
            baton.await(me);
            var model = Models.installed().parse("mlp(hidden=256x256)").build(new int[] {784}, 10, 42);
            TrainingCallback windows = new TrainingCallback() {
                private long windowStart = System.nanoTime();
                private int steps;
                private int epoch;

                @Override
                public void onBatchEnd(Trainer trainer, BatchProgress progress) {
                    if (++steps < WINDOW) return;
                    ms.get(epoch).add(new double[] {(System.nanoTime() - windowStart) / 1e6 / WINDOW, inMixture[0] / 1e6 / WINDOW});
                    handOver();
                }

                @Override
                public void onEpochEnd(Trainer trainer, EpochMetrics m) {
                    epoch++;
                    handOver(); // the partial window (and the evaluation) is not timed
                }

                private void handOver() {
                    try {
                        baton.pass(me);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                    steps = 0;
                    inMixture[0] = 0;
                    windowStart = System.nanoTime();
                }
            };
            TrainingConfig.Builder b = TrainingConfig.builder().optimizer("sgd(lr=0.05, momentum=0.9)")
                    .loss(new SoftmaxCrossEntropy(0)).epochs(epochs).batchSize(128).seed(42).kernels(timed).callback(windows);
            if (spec != null) b.regularizer(spec);
            new Trainer(model, b.build()).fit(train, test);
        } catch (Throwable t) {
            baton.failure = t;
        } finally {
            baton.finish(me);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return (s[(s.length - 1) / 2] + s[s.length / 2]) / 2;
    }
}
