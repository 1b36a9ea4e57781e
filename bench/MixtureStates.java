import dev.regula.api.kernels.Kernels;
import dev.regula.api.kernels.KernelsSelection;
import dev.regula.api.model.Models;
import dev.regula.core.data.Dataset;
import dev.regula.core.data.FashionMnist;
import dev.regula.core.data.Standardizer;
import dev.regula.core.loss.SoftmaxCrossEntropy;
import dev.regula.core.train.EpochMetrics;
import dev.regula.core.train.Trainer;
import dev.regula.core.train.TrainingCallback;
import dev.regula.core.train.TrainingConfig;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The mixture-prior kernel on the states training really meets: trains the reference MLP
 * (784-256-256-10, SGD momentum 0.9, lr 0.05, batch 128, 20,000 Fashion-MNIST images) with a
 * soft-weight-sharing spec, records the arguments of the first {@code mixturePriorGradient} call
 * on each weight tensor after every epoch (the weights and the mixture of that step), then times
 * the kernels on each recorded step alone: all tensors' calls, fastest of {@code rounds} rounds
 * of 50 steps, ms a step. The step's other work is {@code bench/SoftWeightSharingSteps.java}'s.
 *
 * <p>With a file as fifth argument the recorded steps are written to it, and where it exists they
 * are read from it instead of training: the same states timed in a fresh JVM, build after build
 * (after the kernels' JIT warm-up, which otherwise competes for the cores).
 *
 * <pre>java -p regularization-examples/target/lib --add-modules jdk.incubator.vector,ALL-MODULE-PATH \
 *     bench/MixtureStates.java [epochs, default 10] [threads, default 2] [rounds, default 7] [spec] [file]</pre>
 */
public class MixtureStates {
    private static final int STEPS = 50;

    /** One call's arguments, copied. */
    record Call(int n, float[] x, double scale, int k, double[] mu, double[] halfTau, double[] logWeight) {
    }

    public static void main(String[] args) throws Exception {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 7;
        String spec = args.length > 3 ? args[3] : "soft-weight-sharing(lambda=1e-5)";
        Path file = args.length > 4 ? Path.of(args[4]) : null;
        Kernels kernels = KernelsSelection.create(threads);
        KernelsWarmup.await();
        List<Map<Integer, Call>> states = file != null && Files.exists(file) ? read(file) : record(kernels, epochs, spec);
        if (file != null && !Files.exists(file)) write(file, states);
        time(kernels, states, Math.min(epochs, states.size()), rounds, spec);
    }

    /** Trains epochs + 1 epochs, recording one step's calls after each of the first epochs. */
    private static List<Map<Integer, Call>> record(Kernels kernels, int epochs, String spec) throws Exception {
        FashionMnist mnist = FashionMnist.load();
        Standardizer standardizer = Standardizer.fit(mnist.train());
        Dataset train = standardizer.apply(mnist.train()).subset(0, 20_000);
        Dataset test = standardizer.apply(mnist.test()).subset(0, 1_000);
        List<Map<Integer, Call>> states = new ArrayList<>(); // per epoch end: tensor size -> its call
        boolean[] recording = {false};
        Kernels recorder = (Kernels) Proxy.newProxyInstance(Kernels.class.getClassLoader(), new Class<?>[] {Kernels.class},
                (proxy, method, a) -> {
                    if (recording[0] && method.getName().equals("mixturePriorGradient")) {
                        Map<Integer, Call> state = states.getLast();
                        int n = (int) a[0];
                        if (state.containsKey(n)) {
                            recording[0] = false; // the next step began: one step recorded
                        } else {
                            float[] x = (float[]) a[1];
                            int xOff = (int) a[2];
                            state.put(n, new Call(n, java.util.Arrays.copyOfRange(x, xOff, xOff + n), (double) a[5], (int) a[6],
                                    ((double[]) a[7]).clone(), ((double[]) a[8]).clone(), ((double[]) a[9]).clone()));
                        }
                    }
                    try {
                        return method.invoke(kernels, a);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        TrainingCallback atEpochEnd = new TrainingCallback() {
            @Override
            public void onEpochEnd(Trainer trainer, EpochMetrics m) {
                states.add(new LinkedHashMap<>());
                recording[0] = true;
            }
        };
        var model = Models.installed().parse("mlp(hidden=256x256)").build(new int[] {784}, 10, 42);
        TrainingConfig config = TrainingConfig.builder().optimizer("sgd(lr=0.05, momentum=0.9)")
                .loss(new SoftmaxCrossEntropy(0)).epochs(epochs + 1).batchSize(128).seed(42).kernels(recorder)
                .callback(atEpochEnd).regularizer(spec).build();
        new Trainer(model, config).fit(train, test);
        return states;
    }

    private static void time(Kernels kernels, List<Map<Integer, Call>> states, int epochs, int rounds, String spec)
            throws InterruptedException {
        for (int w = 0; w < 2; w++) { // every state's paths compiled before any is timed
            for (int e = 0; e < epochs; e++) steps(kernels, states.get(e), 3);
        }
        KernelsWarmup.awaitMixture(); // (started by the first call) nothing beside the timed calls
        System.out.printf(Locale.ROOT, "kernels %s, %s: the mixture-prior calls of one step, ms (fastest of %d rounds of %d)%n",
                kernels.name(), spec, rounds, STEPS);
        for (int e = 0; e < epochs; e++) {
            Map<Integer, Call> state = states.get(e);
            double best = Double.POSITIVE_INFINITY;
            StringBuilder sizes = new StringBuilder();
            for (Call c : state.values()) sizes.append(sizes.isEmpty() ? "" : "+").append(c.n());
            for (int r = 0; r < rounds; r++) best = Math.min(best, steps(kernels, state, STEPS));
            double sigmaMin = Double.POSITIVE_INFINITY;
            for (Call c : state.values()) {
                for (double h : c.halfTau()) sigmaMin = Math.min(sigmaMin, 1 / Math.sqrt(2 * h));
            }
            System.out.printf(Locale.ROOT, "after epoch %2d: %.3f ms (values %s, sigma_min %.5f)%n", e + 1, best, sizes, sigmaMin);
        }
    }

    private static void write(Path file, List<Map<Integer, Call>> states) throws IOException {
        try (var out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(states.size());
            for (Map<Integer, Call> state : states) {
                out.writeInt(state.size());
                for (Call c : state.values()) {
                    out.writeInt(c.n());
                    out.writeDouble(c.scale());
                    out.writeInt(c.k());
                    for (float v : c.x()) out.writeFloat(v);
                    for (double[] a : new double[][] {c.mu(), c.halfTau(), c.logWeight()}) for (double v : a) out.writeDouble(v);
                }
            }
        }
    }

    private static List<Map<Integer, Call>> read(Path file) throws IOException {
        List<Map<Integer, Call>> states = new ArrayList<>();
        try (var in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            for (int s = in.readInt(); s > 0; s--) {
                Map<Integer, Call> state = new LinkedHashMap<>();
                for (int q = in.readInt(); q > 0; q--) {
                    int n = in.readInt();
                    double scale = in.readDouble();
                    int k = in.readInt();
                    float[] x = new float[n];
                    for (int i = 0; i < n; i++) x[i] = in.readFloat();
                    double[][] m = new double[3][k];
                    for (double[] a : m) for (int j = 0; j < k; j++) a[j] = in.readDouble();
                    state.put(n, new Call(n, x, scale, k, m[0], m[1], m[2]));
                }
                states.add(state);
            }
        }
        return states;
    }

    /** @return ms a step over {@code steps} steps of one recorded state's calls */
    private static double steps(Kernels kernels, Map<Integer, Call> state, int steps) {
        float[][] g = state.values().stream().map(c -> new float[c.n()]).toArray(float[][]::new);
        long t0 = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            int q = 0;
            for (Call c : state.values()) {
                kernels.mixturePriorGradient(c.n(), c.x(), 0, g[q++], 0, c.scale(), c.k(), c.mu(), c.halfTau(), c.logWeight(),
                        new double[3 * c.k()]);
            }
        }
        return (System.nanoTime() - t0) / 1e6 / steps;
    }
}
