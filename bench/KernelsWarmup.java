/**
 * For the bench programs that time steady-state steps: waits until the SIMD kernels' JIT warm-up
 * thread ({@code regula-kernels-warmup}, started by the first kernels created) has ended, at most
 * two minutes. Large products wait for it only up to 5 s after its start, and other work not at
 * all, so without this wait it and the JIT compiler threads could take a core from the first timed
 * steps on a small machine. Found by the source launcher next to the program that calls it (JEP 458).
 */
final class KernelsWarmup {
    private static final String THREAD = "regula-kernels-warmup";

    private KernelsWarmup() {
    }

    static void await() throws InterruptedException {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(THREAD)) t.join(120_000);
        }
    }
}
