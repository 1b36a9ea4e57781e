/**
 * For the bench programs that time steady-state steps: waits until the SIMD kernels' JIT warm-up
 * thread ({@code regula-kernels-warmup}, started by the first kernels created) has ended, at most
 * two minutes. Large products wait for it only up to 5 s after its start, and other work not at
 * all, so without this wait it and the JIT compiler threads could take a core from the first timed
 * steps on a small machine. {@link #awaitMixture} waits the same way for the mixture prior's warm-up
 * ({@code regula-mixture-warmup}), which its first call starts. Found by the source launcher next to
 * the program that calls it (JEP 458).
 */
final class KernelsWarmup {
    private static final String THREAD = "regula-kernels-warmup";
    private static final String MIXTURE_THREAD = "regula-mixture-warmup";

    private KernelsWarmup() {
    }

    static void await() throws InterruptedException {
        await(THREAD);
    }

    static void awaitMixture() throws InterruptedException {
        await(MIXTURE_THREAD);
    }

    private static void await(String name) throws InterruptedException {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) t.join(120_000);
        }
    }
}
