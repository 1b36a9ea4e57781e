package dev.regula.vector;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A fork-join team for the short, back-to-back parallel jobs of a training step: the caller and
 * up to {@code threads − 1} helper threads share the parts of a job, each thread claiming the
 * next unclaimed part when it is free (a dynamic schedule), so a helper that starts late (a busy
 * machine, a virtual CPU taken away for a while) finds its part taken by another thread instead
 * of being waited for. A helper slowed in the middle of a part is waited for: jobs are cut into
 * {@value #PARTS_PER_THREAD} part per thread unless their caller asks for more (see there).
 *
 * <p>Why not a {@link java.util.concurrent.ForkJoinPool}: a training step issues a dozen
 * products and updates of tens to hundreds of microseconds each, and a parked pool worker takes
 * tens of microseconds to wake, a large share of each job. Helpers here spin (with
 * {@link Thread#onSpinWait()}) for a while after each job ({@value #SPIN_NANOS} ns by default),
 * as OpenMP runtimes do, so the next job starts at once;
 * only then do they park, and a helper parked for long ({@value #IDLE_EXIT_NANOS} ns by default)
 * exits and is restarted on demand, so an unused team holds no thread.
 *
 * <p>Which thread runs a part is a matter of timing, so parts must be independent and their
 * results must not depend on the thread that computes them. Part 0 always runs on the caller.
 *
 * <p>Thread-safe: one job runs at a time; a job submitted while another is running (from
 * another thread, or from inside a part) runs all its parts on its own calling thread.
 */
final class WorkerTeam {
    /** How long an idle helper spins before it parks, by default. */
    static final long SPIN_NANOS = 1_000_000L;
    /** How long a parked helper waits for work before its thread exits, by default. */
    static final long IDLE_EXIT_NANOS = 10_000_000_000L;

    /**
     * Parts per thread that {@link #runRanges} (and the column split of a product) cuts a job
     * into at most: one. The schedule stays dynamic (a helper that comes late finds its part
     * taken by the caller), but a job is not cut finer: every further part is one more claim of
     * a counter the other core holds, and one more boundary across which data one thread wrote
     * is read by the other, both of which cost more than the balance they buy on the machines
     * measured (one cache line between the two cores of the 2-core VM takes about 330 ns).
     */
    static final int PARTS_PER_THREAD = 1;

    /** Busy-wait rounds between two yields. */
    private static final int YIELD_EVERY = 64;

    private final Helper[] helpers;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicLong jobs = new AtomicLong();

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
     * Runs {@code body.accept(part)} for every part in [0, parts) and returns when all are done.
     * Part 0 runs on the calling thread; the others go to whichever thread of the team is free
     * first. A failure of any part is rethrown after all parts ended: the failure of the lowest
     * part, with the others suppressed into it.
     *
     * @param parts number of parts, ≥ 1 (more parts than threads balance the load)
     * @param body the work of one part; parts must not depend on each other
     */
    void run(int parts, IntConsumer body) {
        if (parts < 1) throw new IllegalArgumentException("parts must be >= 1, got " + parts);
        Job job = new Job(jobs.incrementAndGet(), parts, body);
        // a busy team (a nested or concurrent job) leaves every part to the caller
        boolean shared = parts > 1 && helpers.length > 0 && busy.compareAndSet(false, true);
        int posted = shared ? Math.min(parts - 1, helpers.length) : 0;
        try {
            for (int i = 0; i < posted; i++) helpers[i].post(job);
            job.runPart(0);
            job.runClaimedParts();
            int spins = 0;
            while (!job.finished()) politeSpin(++spins);
        } finally {
            for (int i = 0; i < posted; i++) helpers[i].clear(job);
            if (shared) busy.set(false);
        }
        job.rethrowFailure();
    }

    /** The work on [from, to) of a range split by {@link #runRanges}. */
    @FunctionalInterface
    interface Range {
        void run(int from, int to);
    }

    /**
     * Runs {@code body} over [0, extent) cut into at most {@code maxParts} contiguous ranges, each
     * a multiple of {@code align} long but the last, as the parts of one {@link #run} job.
     *
     * @param extent length of the range, ≥ 1
     * @param maxParts most parts to cut it into, ≥ 1
     * @param align every range but the last is a multiple of this long, ≥ 1
     * @param body the work on one range
     */
    void runRanges(int extent, int maxParts, int align, Range body) {
        if (extent < 1 || maxParts < 1 || align < 1) {
            throw new IllegalArgumentException("extent, maxParts and align must be >= 1, got " + extent + ", " + maxParts + ", " + align);
        }
        int chunk = Math.ceilDiv(Math.ceilDiv(extent, maxParts), align) * align;
        run(Math.ceilDiv(extent, chunk), part -> body.run(part * chunk, Math.min(extent, part * chunk + chunk)));
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

    /** One job: its parts, the next part to claim, and the parts done. */
    private static final class Job {
        final long id;
        final int parts;
        final IntConsumer body;
        /** The next part to claim; part 0 belongs to the caller. */
        final AtomicInteger next = new AtomicInteger(1);
        /** Parts ended; its increments publish each part's writes to the caller. */
        final AtomicInteger done = new AtomicInteger();
        /** Failures by part, created on the first one; guarded by this. */
        private Throwable[] failures;

        Job(long id, int parts, IntConsumer body) {
            this.id = id;
            this.parts = parts;
            this.body = body;
        }

        /** Runs parts claimed one by one until none is left. */
        void runClaimedParts() {
            for (int part; (part = next.getAndIncrement()) < parts; ) runPart(part);
        }

        void runPart(int part) {
            try {
                body.accept(part);
            } catch (RuntimeException | Error e) {
                synchronized (this) {
                    if (failures == null) failures = new Throwable[parts];
                    failures[part] = e;
                }
            } finally {
                done.incrementAndGet();
            }
        }

        boolean finished() {
            return done.get() == parts;
        }

        synchronized void rethrowFailure() {
            if (failures == null) return;
            Throwable first = null;
            for (Throwable f : failures) {
                if (f == null) continue;
                if (first == null) first = f; else first.addSuppressed(f);
            }
            if (first instanceof RuntimeException re) throw re;
            throw (Error) first;
        }
    }

    /** One helper thread; its {@code state} says whether it spins, is parked or has exited. */
    private static final class Helper implements Runnable {
        private static final int SPINNING = 0;
        private static final int PARKED = 1;
        private static final int EXITED = 2;

        private final int index;
        private final long spinNanos;
        private final long idleExitNanos;
        private final AtomicInteger state = new AtomicInteger(EXITED);
        /** The job on offer, or null; cleared by the caller once the job is finished. */
        private volatile Job job;
        /** The id of the last job this helper worked on (only the helper thread touches it). */
        private long lastJob;
        private volatile Thread thread;

        Helper(int index, long spinNanos, long idleExitNanos) {
            this.index = index;
            this.spinNanos = spinNanos;
            this.idleExitNanos = idleExitNanos;
        }

        /** Offers a job, waking or starting the thread if it is not spinning; does not wait. */
        void post(Job j) {
            job = j;
            while (true) {
                int s = state.get();
                if (s == SPINNING) return; // it polls job
                if (s == PARKED) {
                    LockSupport.unpark(thread); // thread is set before the state becomes PARKED
                    return;
                }
                if (state.compareAndSet(EXITED, SPINNING)) {
                    Thread t = new Thread(this, "regula-kernels-" + index);
                    t.setDaemon(true);
                    thread = t;
                    t.start();
                    return;
                }
            }
        }

        /** Withdraws a finished job, so the helper holds no reference to its data. */
        void clear(Job j) {
            if (job == j) job = null;
        }

        private Job newJob() {
            Job j = job;
            return j != null && j.id != lastJob ? j : null;
        }

        @Override
        public void run() {
            long idleSince = System.nanoTime();
            int spins = 0;
            while (true) {
                Job j = newJob();
                if (j != null) {
                    lastJob = j.id;
                    j.runClaimedParts();
                    idleSince = System.nanoTime();
                    spins = 0;
                    continue;
                }
                if (System.nanoTime() - idleSince < spinNanos) {
                    politeSpin(++spins);
                    continue;
                }
                state.set(PARKED);
                if (newJob() != null) { // a job came while the state was changing: the caller may have seen SPINNING
                    state.set(SPINNING);
                    continue;
                }
                LockSupport.parkNanos(this, idleExitNanos);
                if (newJob() != null || System.nanoTime() - idleSince < spinNanos + idleExitNanos) {
                    state.set(SPINNING); // woken for work (or spuriously): only the caller unparks
                    continue;
                }
                if (!state.compareAndSet(PARKED, EXITED)) continue; // cannot happen: PARKED only leaves from here
                // A caller that saw PARKED just before the exit only unparked this thread, so a job it
                // posted is still ours to take, unless a newer caller already started a new thread.
                if (newJob() != null && state.compareAndSet(EXITED, SPINNING)) {
                    idleSince = System.nanoTime();
                    continue;
                }
                return;
            }
        }
    }
}
