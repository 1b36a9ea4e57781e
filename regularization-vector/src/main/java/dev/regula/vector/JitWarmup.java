package dev.regula.vector;

import dev.regula.api.RegulaException;
import dev.regula.api.kernels.Kernels;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Gets the SIMD kernels of a dense SGD step compiled before they carry real work. Until C2
 * compiles a Vector API method, the interpreter and C1 run it with every vector boxed, one to two
 * orders of magnitude slower, so without a warm-up the first steps of a training run would pay
 * for it.
 *
 * <p>The first {@link VectorKernels} a provider creates (once per loaded copy of this module)
 * starts one daemon thread, {@value #THREAD_NAME}, of minimum priority, that calls the products
 * and the element-wise kernels of a dense layer's SGD step ({@link #run}) {@value #ROUNDS} times
 * on small arrays, so the JIT sees them hot after little interpreted work, and then ends; once
 * they are queued for compilation, a round that is still slow is followed by a pause as long
 * as itself ({@link #pauseAfter}), which leaves the core to the compiler. It uses
 * a two-thread instance of its own (so that the split paths are compiled too) and never the
 * caller's threads; the kernels are pure functions of their arguments, so it changes no result.
 * The other kernels (Adam, the other activations, the L1 and clamp kernels, pooling, ...) are not
 * warmed: they are compiled on first use, like any Java code. Until the warm-up is over, a
 * product large enough to be split over threads waits for it ({@link #awaitBeforeLargeWork}): run
 * interpreted, that product alone would take longer than the whole warm-up, and its caller's
 * cores are better left to the warm-up and the JIT compiler threads. All waits together last at
 * most {@value #MAX_WAIT_SECONDS} s after the warm-up started, so a slow warm-up (one core, a busy
 * host, no C2) costs at most that. An application that creates its kernels before loading its
 * data never waits. {@code -D}{@value #PROPERTY}{@code =false} turns the warm-up off.
 */
final class JitWarmup {
    /** System property that turns the warm-up off ({@code false}) or on ({@code true}, the default). */
    static final String PROPERTY = "regula.kernels.warmup";
    /** Name of the warm-up thread. */
    static final String THREAD_NAME = "regula-kernels-warmup";
    /** Calls of each kernel: beyond the C2 compilation thresholds of all of them, with room to spare. */
    static final int ROUNDS = 6000;
    /** Round from which the rarer paths are exercised too. */
    static final int COVERAGE_FROM = 1000;
    /** The rarer paths run every this many rounds. */
    static final int COVERAGE_EVERY = 64;
    /** Round from which a slow round is followed by a pause ({@link #pauseAfter}). */
    static final int PAUSE_FROM = 256;
    /** A round longer than this still runs code the C2 compiler has not replaced yet. */
    static final long SLOW_ROUND_NANOS = 50_000;
    /** How long after the warm-up started large products stop waiting for it. */
    static final long MAX_WAIT_SECONDS = 5;

    /** Name of the mixture prior's warm-up thread ({@link MixtureWarmup}). */
    static final String MIXTURE_THREAD_NAME = "regula-mixture-warmup";

    /** The warm-up of this copy of the module. */
    private static final JitWarmup SHARED = new JitWarmup(THREAD_NAME, () -> run(new VectorKernels(2), ROUNDS),
            TimeUnit.SECONDS.toNanos(MAX_WAIT_SECONDS));
    /** The mixture prior's, started on its first call; nothing waits for it. */
    private static final JitWarmup MIXTURE = new JitWarmup(MIXTURE_THREAD_NAME,
            () -> MixtureWarmup.run(MixtureWarmup.ROUNDS, new VectorKernels(1)), 0);

    private final String name;

    private final Runnable body;
    private final long maxWaitNanos;
    private final AtomicBoolean started = new AtomicBoolean();
    /** Counted down when the body ends, however it ends, or when the thread cannot start. */
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Thread thread;
    private volatile long deadline;

    /**
     * @param body what the warm-up thread runs
     * @param maxWaitNanos how long after the start large products stop waiting
     */
    JitWarmup(Runnable body, long maxWaitNanos) {
        this(THREAD_NAME, body, maxWaitNanos);
    }

    /**
     * @param name the thread's name
     * @param body what the warm-up thread runs
     * @param maxWaitNanos how long after the start large products stop waiting
     */
    JitWarmup(String name, Runnable body, long maxWaitNanos) {
        this.name = name;
        this.body = body;
        this.maxWaitNanos = maxWaitNanos;
    }

    /**
     * Starts this module's warm-up unless it was started before or the property turns it off.
     *
     * @return the thread started, or null
     * @throws RegulaException if the property is set to something other than true or false
     */
    static Thread startOnce() {
        return enabled(System.getProperty(PROPERTY)) ? SHARED.start() : null;
    }

    /**
     * Starts the mixture prior's warm-up ({@link MixtureWarmup}) unless it was started before or
     * the property turns the warm-ups off; called by the kernel's first call.
     *
     * @return the thread started, or null
     */
    static Thread startMixtureOnce() {
        return MIXTURE.started.get() || !enabled(System.getProperty(PROPERTY)) ? null : MIXTURE.start();
    }

    /** Waits for this module's warm-up before a large product; see {@link #await()}. */
    static void awaitBeforeLargeWork() {
        SHARED.await();
    }

    /**
     * Starts the warm-up thread, once. If the thread cannot be started, the warm-up counts as
     * done (a warning is logged) and nothing ever waits for it.
     *
     * @return the thread started, or null if this warm-up was started before or could not start
     */
    Thread start() {
        if (!started.compareAndSet(false, true)) return null;
        Thread t = new Thread(this::runQuietly, name);
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        deadline = System.nanoTime() + maxWaitNanos;
        try {
            t.start();
        } catch (RuntimeException | Error e) {
            done.countDown();
            log("could not start the JIT warm-up of the SIMD kernels; results are unaffected, the first steps are slower", e);
            return null;
        }
        thread = t;
        return t;
    }

    /**
     * While the warm-up runs, waits for it to end, but never past its deadline (the start plus
     * the maximum wait), whatever the number of callers and calls. Returns at once when the
     * warm-up was never started, is done, the deadline has passed, or on the warm-up thread itself.
     */
    void await() {
        Thread t = thread;
        if (t == null || isDone() || Thread.currentThread() == t) return;
        long left = deadline - System.nanoTime();
        if (left <= 0) return;
        try {
            done.await(left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return true once the warm-up finished, failed, or could not start */
    boolean isDone() {
        return done.getCount() == 0;
    }

    /** The thread's body: a failure costs only the warm-up, so it is logged, not thrown. */
    private void runQuietly() {
        try {
            body.run();
        } catch (RuntimeException | Error e) {
            log("JIT warm-up of the SIMD kernels stopped early; results are unaffected, the first steps are slower", e);
        } finally {
            done.countDown();
        }
    }

    private static void log(String message, Throwable e) {
        System.getLogger(JitWarmup.class.getName()).log(System.Logger.Level.WARNING, message, e);
    }

    /**
     * @param value the property's value, or null when unset
     * @return whether the warm-up runs
     * @throws RegulaException naming the allowed values for anything but true, false or null
     */
    static boolean enabled(String value) {
        if (value == null) return true;
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new RegulaException("system property " + PROPERTY + " must be true or false, got '"
                    + value + "'");
        };
    }

    /**
     * Calls the kernels of a dense layer's SGD step {@code rounds} times each: the three GEMM forms
     * (the weight gradient's with β = 0 and 1), bias and column sums, ReLU and its backward,
     * dropout and its mask product, softmax, the SGD updates with and without decay, axpy and
     * scale for L2, the finite scan, the sum of squares and the row gather. No other kernel.
     * Every round runs them on arrays just past one vector tile, so that they get hot after little
     * interpreted work: m = {@code MR + 1} rows (a full micro-kernel strip and a cut one), n and
     * k = {@code NR + 3} (a full strip and a tail, two lane blocks of the transposed packing and a
     * tail), element-wise lengths of four strips and a tail. The k of a full strip matters: the
     * second and third products are k columns wide, so only then do they pack full strips of an
     * untransposed B and add full tiles to C (β = 1). With a shorter k those paths waited for the
     * first coverage round, by which time C2 had compiled the packing and the micro-kernel
     * without them: both deoptimized and were compiled again (some 0.3 s of the one C2 thread of
     * a 2-core machine, early in a run). From
     * round {@value #COVERAGE_FROM} on, every {@value #COVERAGE_EVERY}th round adds the paths
     * those sizes never take, which C2 would otherwise compile as traps that deoptimize at the
     * first real product: no tails, two row blocks, two inner blocks, products large enough to be
     * split over threads by columns and by rows, element-wise lengths large enough to be split.
     * They start late so that they run compiled, not interpreted.
     *
     * @param k the kernels to exercise
     * @param rounds how many times
     */
    static void run(Kernels k, int rounds) {
        int lanes = Gemm.NR / 2;
        int side = (int) Math.ceil(Math.cbrt(Gemm.PARALLEL_THRESHOLD));
        Product tiny = new Product(Gemm.MR + 1, Gemm.NR + 3, Gemm.NR + 3);
        Product[] coverage = {
            new Product(Gemm.MC + Gemm.MR + 1, 2 * Gemm.NR, 2 * lanes),
            new Product(Gemm.MR, Gemm.NR, Gemm.KC + lanes + 3),
            new Product(side, side, side),
            new Product(2 * side, side / 2, side)};
        Elementwise small = new Elementwise(Math.max(4 * Gemm.NR, (Gemm.MR + 1) * (lanes + 3)) + 5, Gemm.MR + 1, lanes + 3);
        int rows = 64;
        int cols = VectorKernels.PARALLEL_ELEMENTS / rows + 1;
        Elementwise large = new Elementwise(rows * cols + 5, rows, cols);
        for (int r = 0; r < rounds; r++) {
            long start = System.nanoTime();
            tiny.run(k, r);
            small.run(k, r);
            if (coverageRound(r)) {
                for (Product p : coverage) p.run(k, r);
                large.run(k, r);
            }
            long pause = pauseAfter(r, System.nanoTime() - start);
            if (pause > 0) LockSupport.parkNanos(pause);
        }
    }

    /**
     * How long the warm-up pauses after a round: as long as the round took, from round
     * {@value #PAUSE_FROM} on, when the round took more than {@value #SLOW_ROUND_NANOS} ns; else
     * not at all. By that round every kernel has been called often enough to be queued for C2,
     * and a round that is still slow runs interpreted or C1 code whose only effect is to make the
     * Vector API's fallback paths hot, which C2 then compiles too, for nothing. Pausing leaves the
     * core to the compiler threads and to the caller loading its data (on two cores they share
     * one core with this thread) instead of spending it on code about to be replaced. Once the
     * kernels are compiled a round takes a few microseconds and the rest of the warm-up runs
     * without pauses.
     *
     * @param round the round just run, from 0
     * @param tookNanos how long it took
     * @return nanoseconds to pause, 0 for none
     */
    static long pauseAfter(int round, long tookNanos) {
        return round >= PAUSE_FROM && tookNanos > SLOW_ROUND_NANOS ? tookNanos : 0;
    }

    private static boolean coverageRound(int r) {
        return r >= COVERAGE_FROM && (r - COVERAGE_FROM) % COVERAGE_EVERY == 0;
    }

    /** The three products of a Dense layer's step, with bias and column sums, on m×n×k. */
    private static final class Product {
        private final int m;
        private final int n;
        private final int inner;
        private final float[] x;
        private final float[] w;
        private final float[] y;
        private final float[] gw;
        private final float[] gx;
        private final float[] bias;

        Product(int m, int n, int inner) {
            this.m = m;
            this.n = n;
            this.inner = inner;
            x = new float[m * inner];
            w = new float[n * inner];
            y = new float[m * n];
            gw = new float[n * inner];
            gx = new float[m * inner];
            bias = new float[n];
        }

        void run(Kernels k, int round) {
            Arrays.fill(x, 0.01f);
            Arrays.fill(w, 0.02f);
            k.gemm(false, true, m, n, inner, 1f, x, 0, inner, w, 0, inner, 0f, y, 0, n);
            k.addRowVector(m, n, bias, y);
            k.gemm(true, false, n, inner, m, 1f, y, 0, n, x, 0, inner, round % 2 == 0 ? 0f : 1f, gw, 0, inner);
            k.addColumnSums(m, n, y, bias);
            k.gemm(false, false, m, inner, n, 1f, y, 0, n, w, 0, inner, 0f, gx, 0, inner);
        }
    }

    /**
     * The element-wise kernels of a dense layer's SGD step, with L2 and dropout, on {@code len}
     * elements, and a gather of rows×cols.
     */
    private static final class Elementwise {
        private final int len;
        private final int rows;
        private final int cols;
        private final float[] a;
        private final float[] b;
        private final float[] g;
        private final float[] v;
        private final float[] mask;
        private final int[] order;

        Elementwise(int len, int rows, int cols) {
            this.len = len;
            this.rows = rows;
            this.cols = cols;
            a = new float[len];
            b = new float[len];
            g = new float[len];
            v = new float[len];
            mask = new float[len];
            order = new int[rows];
            for (int i = 0; i < rows; i++) order[i] = rows - 1 - i;
        }

        void run(Kernels k, int round) {
            Arrays.fill(a, 0.5f);
            Arrays.fill(g, 0.25f);
            k.relu(len, a, 0, b, 0);
            k.reluBackward(len, a, g, b);
            k.dropout(len, 0.2f, round, a, b, mask);
            k.multiply(len, mask, g, b);
            k.softmaxRows(rows, cols, a, b);
            k.axpy(len, 1e-4f, a, 0, g, 0);
            k.scale(len, 0.5f, g, 0);
            k.sgdMomentumWithDecay(len, 1e-6f, 0.9f, false, 1e-4f, a, g, v);
            k.sgdMomentum(len, 1e-6f, 0.9f, round % 2 == 0, a, g, v);
            k.allFinite(len, a, 0);
            k.sumSquares(len, a, 0);
            k.gatherRows(rows, cols, a, order, 0, b);
        }
    }
}
