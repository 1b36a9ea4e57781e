package dev.regula.bench;

import dev.regula.api.kernels.Kernels;
import dev.regula.api.kernels.KernelsProvider;
import dev.regula.api.kernels.KernelsSelection;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Regula's half of {@code bench/run}: SGEMM 1024³ on 1 and N threads and the element-wise
 * regularizer kernels on 16M floats, each timed as the median of several calls after warm-up
 * calls, printed as machine-readable lines that the script joins with NumPy's figures.
 *
 * <p>Output, one line per figure: {@code RESULT <key> regula <value> <unit>}, plus
 * {@code INFO regula <text>} lines. GEMM is 2·m·n·k floating-point operations per call.
 * Element-wise figures count bytes honestly: every array the kernel reads once and every array it
 * writes once, 4 bytes per float and element (axpy reads x and y and writes y: 12 bytes/element).
 * Element-wise kernels run on the calling thread.
 *
 * <p>Nothing is timed while the SIMD kernels' JIT warm-up thread ({@value #KERNELS_WARMUP_THREAD})
 * still runs: only large products wait for it, and only up to a deadline, so figures taken beside
 * it would share the cores with it and with the JIT compiler threads it keeps busy.
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector -cp benchmarks.jar dev.regula.bench.SideBySide
 * [--threads N] [--reps R] [--size N] [--elements N]}. The kernels are those
 * {@link KernelsSelection#select()} picks ({@code -Dregula.kernels=scalar|vector} forces one).
 */
public final class SideBySide {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** The name the vector kernels give their JIT warm-up thread (documented by the vector module). */
    static final String KERNELS_WARMUP_THREAD = "regula-kernels-warmup";
    /** The longest wait for that thread. */
    private static final long MAX_WARMUP_WAIT_MILLIS = 120_000;
    private final long warmupNanos;

    private SideBySide(double warmupSeconds) {
        this.warmupNanos = (long) (warmupSeconds * NANOS_PER_SECOND);
    }

    /** One element-wise kernel call on prepared operands. */
    @FunctionalInterface
    private interface Call {
        void run();
    }

    /**
     * @param args {@code --threads N} (default: all cores), {@code --reps R} timed calls per figure
     *     (default 21), {@code --size N} GEMM size (default 1024), {@code --elements N} (default 16M),
     *     {@code --warmup S} minimum seconds of warm-up calls per figure (default 3)
     */
    public static void main(String[] args) {
        int threads = Runtime.getRuntime().availableProcessors();
        int reps = 21;
        int size = 1024;
        int elements = 16 << 20;
        double warmup = 3;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--threads" -> threads = positive("--threads", value);
                case "--reps" -> reps = positive("--reps", value);
                case "--size" -> size = positive("--size", value);
                case "--elements" -> elements = positive("--elements", value);
                case "--warmup" -> warmup = positive("--warmup", value);
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "'; allowed: --threads N, --reps R, --size N, --elements N, --warmup S");
            }
            i++;
        }
        KernelsProvider provider = KernelsSelection.select();
        info("kernels " + provider.create(threads).name() + ", JDK " + Runtime.version()
                + ", median of " + reps + " timed calls after >= " + warmup + " s of warm-up calls");
        awaitKernelsWarmup();
        SideBySide bench = new SideBySide(warmup);
        bench.gemm(provider.create(1), "gemm_1t", size, reps);
        bench.gemm(provider.create(threads), "gemm_" + threads + "t", size, reps);
        bench.elementwise(provider.create(1), elements, reps);
    }

    /** Waits for the kernels' JIT warm-up thread, if one runs, to finish (at most two minutes). */
    private static void awaitKernelsWarmup() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!t.getName().equals(KERNELS_WARMUP_THREAD)) continue;
            try {
                t.join(MAX_WARMUP_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static int positive(String flag, String value) {
        int v;
        try {
            v = Integer.parseInt(String.valueOf(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a positive integer, got '" + value + "'", e);
        }
        if (v < 1) throw new IllegalArgumentException(flag + " needs a positive integer, got " + v);
        return v;
    }

    private void gemm(Kernels k, String key, int n, int reps) {
        Random rnd = new Random(42);
        float[] a = new float[n * n];
        float[] b = new float[n * n];
        float[] c = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextFloat() - 0.5f;
            b[i] = rnd.nextFloat() - 0.5f;
        }
        Call call = () -> k.gemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
        double seconds = median(call, Math.max(5, reps / 2), reps);
        result(key, 2.0 * n * n * n / seconds / 1e9, "GFLOP/s");
        if (!Float.isFinite(c[c.length - 1])) throw new AssertionError("GEMM produced " + c[c.length - 1]);
    }

    private void elementwise(Kernels k, int n, int reps) {
        Random rnd = new Random(7);
        float[] x = new float[n];
        float[] y = new float[n];
        float[] g = new float[n];
        float[] m = new float[n];
        float[] v = new float[n];
        float[] velocity = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextGaussian();
            g[i] = (float) rnd.nextGaussian() * 1e-3f;
        }
        int warm = Math.max(3, reps / 3);
        // bytes per element: 4 per array read + 4 per array written
        rate("axpy", 12, n, median(() -> k.axpy(n, 1e-4f, x, 0, y, 0), warm, reps));
        rate("l1_sign_grad", 12, n, median(() -> k.addScaledSign(n, 1e-4f, x, 0, g, 0), warm, reps));
        rate("soft_threshold", 8, n, median(() -> k.softThreshold(n, 1e-9f, x, 0), warm, reps));
        rate("clamp", 8, n, median(() -> k.clamp(n, -10f, 10f, x, 0), warm, reps));
        rate("sgd_momentum", 20, n, median(() -> k.sgdMomentum(n, 1e-6f, 0.9f, false, x, g, velocity), warm, reps));
        rate("adam", 28, n, median(() -> k.adam(n, 1e-7f, 0.9f, 0.999f, 1e-8f, 0.1f, 0.001f, x, g, m, v), warm, reps));
        if (!Float.isFinite(x[n - 1]) || !Float.isFinite(y[n - 1])) throw new AssertionError("element-wise kernels produced NaN");
    }

    private static void rate(String key, int bytesPerElement, int n, double seconds) {
        result(key, (double) bytesPerElement * n / seconds / 1e9, "GB/s");
    }

    /**
     * @return the median wall time in seconds of {@code reps} calls, after at least {@code warm}
     *     untimed calls lasting together at least the warm-up time (C2 must have compiled the
     *     kernels, which takes longer when other processes share the cores)
     */
    private double median(Call call, int warm, int reps) {
        long until = System.nanoTime() + warmupNanos;
        for (int i = 0; i < warm || System.nanoTime() < until; i++) call.run();
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long start = System.nanoTime();
            call.run();
            t[i] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(t);
        return reps % 2 == 1 ? t[reps / 2] : (t[reps / 2 - 1] + t[reps / 2]) / 2;
    }

    private static void result(String key, double value, String unit) {
        System.out.printf(Locale.ROOT, "RESULT %s regula %.2f %s%n", key, value, unit);
        System.out.flush();
    }

    private static void info(String text) {
        System.out.println("INFO regula " + text);
    }
}
