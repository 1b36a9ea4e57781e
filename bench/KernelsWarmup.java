/**
 * For the bench programs that time steady-state steps: waits until the SIMD kernels' JIT warm-up
 * thread ({@code regula-kernels-warmup}, started by the first kernels created) has ended, at most
 * two minutes. Its second phase warms the kernels a dense step does not need beside the caller's
 * first work, and on a small machine it and the compiler would take a core from the first timed
 * steps. Found by the source launcher next to the program that calls it (JEP 458).
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
