import dev.regula.api.kernels.Kernels;
import dev.regula.api.kernels.KernelsSelection;
import java.util.Locale;
import java.util.Random;

/**
 * The eight matrix products of one training step of the reference MLP (784-256-256-10, batch 128),
 * each timed alone on hot caches through the kernels {@link KernelsSelection} picks: the fastest of
 * seven rounds of 1000 calls, in µs per call and GFLOP/s, and their sum per step. F = forward
 * (x·Wᵀ), Bw = weight gradient (gᵀ·x), Bx = input gradient (g·W); the first layer's Bx is never
 * computed. Compare the sum with bench/MnistSteps.java's ms per step to see what the rest costs.
 *
 * <pre>java -p regularization-examples/target/lib --add-modules jdk.incubator.vector,ALL-MODULE-PATH \
 *     bench/StepProducts.java [threads, default 2]</pre>
 */
public class StepProducts {
    /** name, transA, transB, m, n, k. */
    private static final Object[][] SHAPES = {
        {"F1", false, true, 128, 256, 784}, {"F2", false, true, 128, 256, 256}, {"F3", false, true, 128, 10, 256},
        {"B3w", true, false, 10, 256, 128}, {"B3x", false, false, 128, 256, 10}, {"B2w", true, false, 256, 256, 128},
        {"B2x", false, false, 128, 256, 256}, {"B1w", true, false, 256, 784, 128},
    };

    public static void main(String[] args) throws InterruptedException {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        Kernels kernels = KernelsSelection.create(threads);
        KernelsWarmup.await(); // nothing timed beside the kernels' JIT warm-up
        Random random = new Random(1);
        double total = 0;
        System.out.printf("kernels %s%n", kernels.name());
        for (Object[] s : SHAPES) {
            boolean ta = (Boolean) s[1], tb = (Boolean) s[2];
            int m = (Integer) s[3], n = (Integer) s[4], k = (Integer) s[5];
            float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
            for (int i = 0; i < a.length; i++) a[i] = random.nextFloat();
            for (int i = 0; i < b.length; i++) b[i] = random.nextFloat();
            int lda = ta ? m : k, ldb = tb ? k : n;
            Runnable call = () -> kernels.gemm(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
            for (int i = 0; i < 3000; i++) call.run();
            double best = Double.POSITIVE_INFINITY;
            for (int round = 0; round < 7; round++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < 1000; i++) call.run();
                best = Math.min(best, (System.nanoTime() - t0) / 1e3 / 1000);
            }
            total += best;
            System.out.printf(Locale.ROOT, "%-4s %s·%s  %4d x %4d x %4d  %7.1f us  %6.1f GFLOP/s%n", s[0],
                    ta ? "Aᵀ" : "A", tb ? "Bᵀ" : "B", m, n, k, best, 2.0 * m * n * k / best / 1e3);
        }
        System.out.printf(Locale.ROOT, "sum of the step's products %.1f us%n", total);
    }
}
