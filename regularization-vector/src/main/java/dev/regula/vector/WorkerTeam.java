package dev.regula.vector;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A fork-join team for the short, back-to-back parallel jobs of a training step: the caller
 * runs part 0 of a job and up to {@code threads − 1} helper threads run the others.
 *
 * <p>Why not a {@link java.util.concurrent.ForkJoinPool}: a training step issues a dozen
 * products and updates of 10–500 µs each, and a parked pool worker takes tens of microseconds
 * to wake (more in a virtual machine), which cost a third of the two-thread speed-up on the
 * reference MLP. Helpers here spin (with {@link Thread#onSpinWait()}) for a while after each job
 * ({@value #SPIN_NANOS} ns by default), as OpenMP runtimes do, so the next job starts at once;
 * only then do they park, and a helper parked for long ({@value #IDLE_EXIT_NANOS} ns by default)
 * exits and is restarted on demand, so an unused team holds no thread.
 *
 * <p>Thread-safe: one job runs at a time; a job submitted while another is running (from
 * another thread, or from inside a part) runs all its parts on its own calling thread.
 */
final class WorkerTeam {
    /** How long an idle helper spins before it parks, by default. */
    static final long SPIN_NANOS = 1_000_000L;
    /** How long a parked helper waits for work before its thread exits, by default. */
    static final long IDLE_EXIT_NANOS = 10_000_000_000L;

    /** Busy-wait rounds between two yields. */
    private static final int YIELD_EVERY = 64;

    private final Helper[] helpers;
    private final AtomicBoolean busy = new AtomicBoolean();

    /** @param threads threads per job including the caller, ≥ 1 */
    WorkerTeam(int threads) {
        this(threads, SPIN_NANOS, IDLE_EXIT_NANOS);
    }

    /**
     * @param threads threads per job including the caller, ≥ 1
     * @param spinNanos how long an idle helper spins before it parks, ≥ 0
     * @param idleExitNanos how long a parked helper waits for work before its thread exits, ≥ 0
     */
    WorkerTeam(int threads, long spinNanos, long idleExitNanos) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        if (spinNanos < 0 || idleExitNanos < 0) {
            throw new IllegalArgumentException("spin and idle-exit times must be >= 0, got " + spinNanos + " and " + idleExitNanos);
        }
        helpers = new Helper[threads - 1];
        for (int i = 0; i < helpers.length; i++) helpers[i] = new Helper(i + 1, spinNanos, idleExitNanos);
    }

    /** @return the number of helper threads alive now (for tests) */
    int liveHelpers() {
        int alive = 0;
        for (Helper h : helpers) if (h.state.get() != Helper.EXITED) alive++;
        return alive;
    }

    /** @return threads per job, the caller included */
    int threads() {
        return helpers.length + 1;
    }

    /**
     * Runs {@code body.accept(part)} for every part in [0, parts) and returns when all are done;
     * part 0 runs on the calling thread. A failure of any part is rethrown after all parts
     * ended (further failures are suppressed into it).
     *
     * @param parts number of parts, 1 ≤ parts ≤ {@link #threads()}
     * @param body the work of one part; parts must not depend on each other
     */
    void run(int parts, IntConsumer body) {
        if (parts < 1 || parts > threads()) {
            throw new IllegalArgumentException("parts must be in [1, " + threads() + "], got " + parts);
        }
        if (parts == 1 || !busy.compareAndSet(false, true)) {
            for (int part = 0; part < parts; part++) body.accept(part);
            return;
        }
        try {
            for (int part = 1; part < parts; part++) helpers[part - 1].submit(body);
            Throwable failure = null;
            try {
                body.accept(0);
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            for (int part = 1; part < parts; part++) {
                Throwable f = helpers[part - 1].await();
                if (f == null) continue;
                if (failure == null) failure = f; else failure.addSuppressed(f);
            }
            if (failure instanceof RuntimeException re) throw re;
            if (failure instanceof Error err) throw err;
        } finally {
            busy.set(false);
        }
    }

    /**
     * One round of a busy wait: mostly {@link Thread#onSpinWait()}, with a {@link Thread#yield()}
     * every {@value #YIELD_EVERY} rounds so that, when there are more runnable threads than cores
     * (more threads than cores asked for, or a busy machine), the thread being waited for gets
     * the core instead of losing whole time slices to the spinner.
     */
    private static void politeSpin(int spins) {
        if (spins % YIELD_EVERY == 0) Thread.yield(); else Thread.onSpinWait();
    }

    /** One helper thread; its {@code state} says whether it spins, is parked or has exited. */
    private static final class Helper implements Runnable {
        private static final int SPINNING = 0;
        private static final int PARKED = 1;
        private static final int EXITED = 2;

        private final int part;
        private final long spinNanos;
        private final long idleExitNanos;
        private final AtomicInteger state = new AtomicInteger(EXITED);
        /** The job; written before {@code pending} is set, read after it is seen. */
        private IntConsumer job;
        private Throwable failure;
        /** Set by the caller to hand over a job, cleared by the helper when the job is done. */
        private volatile boolean pending;
        private volatile Thread thread;

        Helper(int part, long spinNanos, long idleExitNanos) {
            this.part = part;
            this.spinNanos = spinNanos;
            this.idleExitNanos = idleExitNanos;
        }

        void submit(IntConsumer body) {
            job = body;
            failure = null;
            pending = true;
            while (true) {
                int s = state.get();
                if (s == SPINNING) return; // it polls pending
                if (s == PARKED) {
                    LockSupport.unpark(thread); // thread is set before the state becomes PARKED
                    return;
                }
                if (state.compareAndSet(EXITED, SPINNING)) {
                    Thread t = new Thread(this, "regula-kernels-" + part);
                    t.setDaemon(true);
                    thread = t;
                    t.start();
                    return;
                }
            }
        }

        /** Waits until the submitted job is done; returns its failure or null. */
        Throwable await() {
            int spins = 0;
            while (pending) politeSpin(++spins);
            job = null;
            return failure;
        }

        @Override
        public void run() {
            long idleSince = System.nanoTime();
            int spins = 0;
            while (true) {
                if (pending) {
                    try {
                        job.accept(part);
                    } catch (RuntimeException | Error e) {
                        failure = e;
                    }
                    pending = false;
                    idleSince = System.nanoTime();
                    spins = 0;
                    continue;
                }
                if (System.nanoTime() - idleSince < spinNanos) {
                    politeSpin(++spins);
                    continue;
                }
                state.set(PARKED);
                if (pending) { // a job came while the state was changing: the caller may have seen SPINNING
                    state.set(SPINNING);
                    continue;
                }
                LockSupport.parkNanos(this, idleExitNanos);
                if (pending || System.nanoTime() - idleSince < spinNanos + idleExitNanos) {
                    state.set(SPINNING); // woken for work (or spuriously): only the caller unparks
                    continue;
                }
                if (!state.compareAndSet(PARKED, EXITED)) continue; // cannot happen: PARKED only leaves from here
                // A caller that saw PARKED just before the exit only unparked this thread, so a job it
                // posted is still ours to run, unless a newer caller already started a new thread.
                if (pending && state.compareAndSet(EXITED, SPINNING)) {
                    idleSince = System.nanoTime();
                    continue;
                }
                return;
            }
        }
    }
}
