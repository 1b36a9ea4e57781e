package dev.regula.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.regula.api.kernels.Kernels;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The mixture prior's warm-up takes every path of the kernel and changes no result. */
class MixtureWarmupTest {
    private static void assumeVectorModule() {
        assumeTrue(new VectorKernelsProvider().isSupported(), "the vector module");
    }

    /**
     * Its made-up calls take each path: the table's size and too few values to plan, and on the
     * direct kernel's the one-component pass, the two-component pass and runs of several
     * components after the one-component pass.
     */
    @Test
    void itsCallsTakeEveryPathOfTheKernel() {
        assumeVectorModule();
        List<MixtureWarmup.Call> calls = MixtureWarmup.calls();
        boolean table = false, unplanned = false, solo = false, pair = false, runs = false;
        StringBuilder paths = new StringBuilder();
        for (MixtureWarmup.Call call : calls) {
            int n = call.x().length;
            int k = call.mu().length;
            table |= n >= MixturePriorTable.LEAST_VALUES;
            MixturePriorKernel.Constants c = MixturePriorKernel.Constants.of(k, call.mu(), call.halfTau(), call.logWeight());
            MixturePriorKernel.Buckets plan = MixturePriorKernel.plan(n, call.x(), 0, k, c.mu(), c.c2(), c.v2());
            unplanned |= plan.count() == 1;
            if (plan.count() < 3) continue;
            int[] held = MixtureInPlace.held(plan, n, call.x(), 0);
            MixtureInPlace pass = MixtureInPlace.of(plan, held, c);
            solo |= pass instanceof MixtureSolo;
            pair |= pass instanceof MixturePair;
            runs |= pass != null && MixtureGroups.of(plan, held, pass, c) != null;
            paths.append(n).append(": ").append(pass == null ? "sorted" : pass.getClass().getSimpleName())
                    .append(MixtureGroups.of(plan, held, pass, c) != null ? " + runs" : "").append("; ");
        }
        assertTrue(table && unplanned && solo && pair && runs,
                "table " + table + ", unplanned " + unplanned + ", solo " + solo + ", pair " + pair + ", runs " + runs + " (" + paths + ")");
    }

    /** Run beside a thread using other kernels, it ends cleanly and that thread's results keep their bits. */
    @Test
    void runsCleanAndChangesNoResultOfKernelsUsedMeanwhile() throws InterruptedException {
        assumeVectorModule();
        Kernels k = KernelsTestSupport.vector(2);
        MixtureWarmup.Call call = MixtureWarmup.calls().get(4);
        int n = call.x().length;
        int c = call.mu().length;
        float[] expected = new float[n];
        double[] expectedSums = new double[3 * c];
        k.mixturePriorGradient(n, call.x(), 0, expected, 0, 1e-5, c, call.mu(), call.halfTau(), call.logWeight(), expectedSums);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread warmup = new Thread(() -> MixtureWarmup.run(2, new VectorKernels(1), new VectorKernels(2)));
        warmup.setUncaughtExceptionHandler((t, e) -> failure.set(e));
        warmup.start();
        int checks = 0;
        do {
            float[] g = new float[n];
            double[] sums = new double[3 * c];
            k.mixturePriorGradient(n, call.x(), 0, g, 0, 1e-5, c, call.mu(), call.halfTau(), call.logWeight(), sums);
            assertArrayEquals(expected, g, 0f);
            assertArrayEquals(expectedSums, sums, 0);
            checks++;
        } while (warmup.isAlive());
        warmup.join();
        assertNull(failure.get(), () -> "the warm-up failed: " + failure.get());
        assertTrue(checks > 0);
    }

    @Test
    void itsThreadHasItsOwnName() throws InterruptedException {
        Thread t = new JitWarmup(JitWarmup.MIXTURE_THREAD_NAME, () -> { }, 0).start();
        assertEquals("regula-mixture-warmup", t.getName());
        t.join();
    }
}
