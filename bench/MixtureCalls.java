import dev.regula.api.kernels.Kernels;
import dev.regula.api.kernels.KernelsSelection;
import java.util.Locale;
import java.util.Random;

/**
 * The soft-weight-sharing prior's kernel alone ({@link Kernels#mixturePriorGradient}) on the three
 * weight tensors of the reference MLP (200,704, 65,536 and 2,560 weights: one training step's
 * calls), for mixtures as training meets them, from wide to narrow: the fastest of seven rounds
 * of 200 steps (the three calls in turn, as in training), in ms per step, and per tensor the
 * fastest of seven rounds of 200 calls to it alone. A training run's step mixes this with the products, and a shared VM's
 * speed comes and goes between its epochs; this isolates the kernel, so that a change to it can
 * be compared on one state at a time. The kernels pick the table or the direct computation
 * themselves, as in training. States (16 components, component 0 at 0):
 *
 * <ul>
 *   <li>{@code start}: the mixture training starts from, means spread over ±0.3, σ their spacing
 *       (0.043), π₀ 0.99; weights N(0, 0.05);</li>
 *   <li>{@code narrowing}: means over ±0.2, σ 0.004; weights at the means with σ 0.003 (what the
 *       bench's λ = 1e-5 run meets after some epochs);</li>
 *   <li>{@code late}: the retrained state of {@code regula compress}: π₀ 0.93 with σ 0.002, the
 *       other 15 at ±0.07·⌈j/2⌉ with σ 0.002, 93 % of the weights at 0 and the rest at the
 *       others' means.</li>
 * </ul>
 *
 * <pre>java -p regularization-examples/target/lib --add-modules jdk.incubator.vector,ALL-MODULE-PATH \
 *     bench/MixtureCalls.java [threads, default 2]</pre>
 */
public class MixtureCalls {
    private static final int[] SIZES = {200_704, 65_536, 2_560};
    private static final int K = 16;
    private static final int STEPS = 200;
    private static final int ROUNDS = 7;

    public static void main(String[] args) throws InterruptedException {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        Kernels kernels = KernelsSelection.create(threads);
        KernelsWarmup.await(); // nothing timed beside the kernels' JIT warm-up
        System.out.printf("kernels %s%n", kernels.name());
        for (String state : new String[] {"start", "narrowing", "late"}) {
            double[] mu = new double[K];
            double[] sigma = new double[K];
            double[] pi = new double[K];
            float[][] w = new float[SIZES.length][];
            Random rnd = new Random(7);
            for (int j = 0; j < K; j++) {
                switch (state) {
                    case "start" -> {
                        mu[j] = j == 0 ? 0 : -0.3 + 0.6 * (j - 1) / (K - 2);
                        sigma[j] = 0.6 / (K - 2);
                        pi[j] = j == 0 ? 0.99 : 0.01 / (K - 1);
                    }
                    case "narrowing" -> {
                        mu[j] = j == 0 ? 0 : -0.2 + 0.4 * (j - 1) / (K - 2);
                        sigma[j] = 0.004;
                        pi[j] = j == 0 ? 0.9 : 0.1 / (K - 1);
                    }
                    default -> {
                        mu[j] = (j % 2 == 0 ? 1 : -1) * 0.07 * ((j + 1) / 2);
                        sigma[j] = 0.002;
                        pi[j] = j == 0 ? 0.93 : 0.07 / (K - 1);
                    }
                }
            }
            for (int t = 0; t < SIZES.length; t++) {
                w[t] = new float[SIZES[t]];
                for (int i = 0; i < SIZES[t]; i++) {
                    w[t][i] = (float) switch (state) {
                        case "start" -> 0.05 * rnd.nextGaussian();
                        case "narrowing" -> mu[rnd.nextInt(K)] + 0.003 * rnd.nextGaussian();
                        default -> (rnd.nextInt(100) < 93 ? 0 : mu[1 + rnd.nextInt(K - 1)]) + 0.002 * rnd.nextGaussian();
                    };
                }
            }
            double[] halfTau = new double[K];
            double[] logWeight = new double[K];
            for (int j = 0; j < K; j++) {
                double tau = 1 / (sigma[j] * sigma[j]);
                halfTau[j] = tau / 2;
                logWeight[j] = Math.log(pi[j]) + 0.5 * Math.log(tau) - 0.5 * Math.log(2 * Math.PI);
            }
            float[][] g = new float[SIZES.length][];
            for (int t = 0; t < SIZES.length; t++) g[t] = new float[SIZES[t]];
            double[] sums = new double[3 * K];
            double[] best = new double[SIZES.length];
            java.util.Arrays.fill(best, Double.POSITIVE_INFINITY);
            for (int r = 0; r < ROUNDS; r++) {
                for (int t = 0; t < SIZES.length; t++) {
                    long start = System.nanoTime();
                    for (int s = 0; s < STEPS; s++) {
                        kernels.mixturePriorGradient(SIZES[t], w[t], 0, g[t], 0, 1e-5, K, mu, halfTau, logWeight, sums);
                    }
                    best[t] = Math.min(best[t], (System.nanoTime() - start) / 1e6 / STEPS);
                }
            }
            double step = Double.POSITIVE_INFINITY;
            for (int r = 0; r < ROUNDS; r++) {
                long start = System.nanoTime();
                for (int s = 0; s < STEPS; s++) {
                    for (int t = 0; t < SIZES.length; t++) {
                        kernels.mixturePriorGradient(SIZES[t], w[t], 0, g[t], 0, 1e-5, K, mu, halfTau, logWeight, sums);
                    }
                }
                step = Math.min(step, (System.nanoTime() - start) / 1e6 / STEPS);
            }
            System.out.printf(Locale.ROOT, "%-10s %.3f ms per step (the three calls in turn); alone %.3f + %.3f + %.3f ms for the"
                    + " %d, %d and %d weights%n", state, step, best[0], best[1], best[2], SIZES[0], SIZES[1], SIZES[2]);
        }
    }
}
